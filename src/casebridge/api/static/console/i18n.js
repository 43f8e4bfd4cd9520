// Chinese and English labels. The language comes from the toggle (remembered in
// localStorage: a preference, not a secret) or else from navigator.language.

const LANG_KEY = 'casebridge.lang';

const zh = {
  'app.name': 'CaseBridge 案件协同',
  'app.tagline': '市场监管跨区域案件协同',
  'nav.main': '主导航',
  'nav.inbox': '待办',
  'nav.cases': '案件',
  'nav.board': '联动执法看板',
  'nav.newCase': '新建案件',
  'nav.skip': '跳到正文',
  'lang.toggle': 'English',
  'lang.label': 'Switch to English',
  'auth.signIn': '登录',
  'auth.signOut': '退出登录',
  'auth.signingIn': '正在登录…',
  'auth.signedOut': '您已退出登录。',
  'auth.failed': '登录未完成：{reason}',
  'auth.insecure': '此页面需通过 HTTPS（或本机地址）打开：浏览器仅在安全环境中提供所需的加密功能。',
  'auth.user': '{user} · {jurisdiction}',
  'live.connected': '实时更新',
  'live.connecting': '正在连接…',
  'live.reconnecting': '连接中断，正在重连…',
  'live.forbidden': '无实时更新权限',
  'inbox.title': '待办事项',
  'inbox.transfers': '移送来的案件',
  'inbox.requests': '待答复的协助调查',
  'inbox.invitations': '联动执法邀请',
  'inbox.emptyTransfers': '没有待接收的移送。',
  'inbox.emptyRequests': '没有待答复的协助调查。',
  'inbox.emptyInvitations': '没有待答复的联动执法邀请。',
  'inbox.newTransfer': '新的移送：{title}',
  'inbox.newRequest': '新的协助调查请求：{title}',
  'inbox.newInvitation': '新的联动执法邀请：{title}',
  'inbox.count': '{count} 项待办',
  'f.from': '移送方',
  'f.to': '接收单位',
  'f.reason': '理由',
  'f.requestedAt': '提出时间',
  'f.dueAt': '答复期限',
  'f.dueDate': '答复期限（留空为 15 个工作日）',
  'f.taskDue': '完成期限（可选）',
  'f.applicant': '请求单位',
  'f.requested': '被请求单位',
  'f.description': '需协助事项',
  'f.evidenceDescription': '说明（可选）',
  'f.coordinator': '牵头单位',
  'f.objective': '行动目标',
  'f.participants': '邀请参加单位',
  'f.title': '标题',
  'f.summary': '案情摘要',
  'f.subjectName': '当事人名称',
  'f.subjectKind': '当事人类型',
  'f.identifier': '统一社会信用代码或店铺链接',
  'f.creditCode': '统一社会信用代码（校验）',
  'h.creditCode': '18 位，按 GB 32100 校验末位校验码',
  'f.domicile': '住所地',
  'f.placeOfBusiness': '实际经营地',
  'h.jurisdictionCode': '行政区划代码，如 330106',
  'f.platformName': '平台经营者名称',
  'f.platformCreditCode': '平台经营者统一社会信用代码',
  'f.platformDomicile': '平台经营者住所地',
  'f.store': '店铺链接或账号',
  'f.category': '案件类别',
  'f.legalBasis': '法律依据',
  'f.reference': '案件编号（留空自动生成）',
  'f.ref': '案件编号',
  'f.filterList': '筛选列表',
  'f.proposedAt': '发起时间',
  'f.participantList': '参加单位',
  'f.status': '状态',
  'f.handling': '办理单位',
  'f.subject': '当事人',
  'f.version': '版本',
  'f.openedAt': '立案时间',
  'f.updatedAt': '最后更新',
  'f.sha256': 'SHA-256',
  'f.file': '选择文件（仅在本机计算哈希，不会上传）',
  'f.itemTitle': '材料名称',
  'f.outcome': '结案结果',
  'f.closingSummary': '结案说明',
  'f.refusalReason': '拒绝理由',
  'f.detail': '详细说明',
  'f.assignee': '承办单位',
  'f.taskTitle': '任务内容',
  'f.taskOutcome': '完成情况',
  'f.cases': '涉及案件',
  'f.commonPosition': '共同意见',
  'f.search': '搜索',
  'f.searchHint': '标题、编号或当事人',
  'f.any': '全部',
  'f.collectedBy': '收集单位',
  'f.items': '证据材料',
  'f.jurisdiction': '单位',
  'f.designated': '指定办理单位',
  'f.role': '关系',
  'f.decision': '处理结果',
  'f.actor': '操作方',
  'f.type': '事件',
  'f.digest': '摘要值',
  'a.accept': '接收',
  'a.decline': '拒绝',
  'a.confirmDecline': '确认拒绝',
  'a.withdraw': '撤回移送',
  'a.join': '参加',
  'a.fulfil': '提供证据',
  'a.refuse': '拒绝协助',
  'a.cancel': '取消',
  'a.requestTransfer': '申请移送',
  'a.requestEvidence': '发起协助调查',
  'a.addEvidence': '登记证据',
  'a.closeCase': '结案',
  'a.designate': '指定管辖',
  'a.proposeJoint': '发起联动执法',
  'a.assignTask': '分配任务',
  'a.completeTask': '完成任务',
  'a.closeJoint': '结束联动',
  'a.openCase': '立案',
  'a.loadMore': '加载更多',
  'a.reload': '重新加载',
  'a.refresh': '刷新',
  'a.addItem': '再添加一项材料',
  'a.removeItem': '移除此项',
  'a.apply': '筛选',
  'a.clear': '清除筛选',
  'a.asOf': '查看此版本',
  'a.backToNow': '返回当前状态',
  'a.moreHistory': '更早的事件',
  'a.showData': '事件内容',
  'm.required': '此项必填。',
  'm.sha256': '需要 64 位十六进制的 SHA-256 值。',
  'm.hashing': '正在本机计算 SHA-256…',
  'm.hashFailed': '无法读取该文件。',
  'm.chooseOne': '请至少选择一项。',
  'm.conflict': '其他人已修改了此内容。请重新加载查看最新状态后再操作。',
  'm.network': '请求未能送达服务器，请重试。',
  'm.loading': '加载中…',
  'm.noCases': '没有符合条件的案件。',
  'm.caseNotFound': '案件不存在，或您的单位无权查看。',
  'm.overdue': '已逾期',
  'm.none': '无',
  'm.error': '出错了：{message}',
  'm.pleaseFix': '请修正标出的内容。',
  'm.transferPending': '待处理移送：{from} → {to}',
  'm.noPendingTransfer': '没有待处理的移送。',
  'm.asOfBanner': '正在查看版本 {version} 时的案件（{at}）',
  'm.integrityValid': '完整性校验通过：{count} 个事件，链首 {head}',
  'm.integrityInvalid': '完整性校验未通过：自版本 {version} 起记录与链不符',
  'm.taskProgress': '已完成 {done}/{total} 项任务',
  'm.noJointActions': '暂无联动执法。',
  'm.noTasks': '暂无任务。',
  'm.noEvidence': '暂无证据。',
  'm.noRequests': '暂无协助调查。',
  'm.noTransfers': '暂无移送记录。',
  'm.done': '已完成：{what}',
  'm.fileLocal': '文件只在您的浏览器中读取，不会上传。',
  'm.resultCount': '共显示 {count} 件',
  'm.openedCase': '已立案：{reference}',
  'm.earlierFiling': '{jurisdiction}自 {since} 起已有针对该统一社会信用代码的在办案件（行政处罚法第二十五条：最先立案的机关管辖），可移送或请求协助。',
  'm.readOnly': '您的单位对此案件只读。',
  'm.otherHandler': '此案件由{handler}办理。',
  'm.noActions': '您的单位当前无可执行的操作。',
  'm.viewCase': '查看案件 {reference}',
  'm.signInNeeded': '请登录以继续。',
  'm.refusal': '拒绝理由：{reason}',
  's.facts': '案件信息',
  's.evidence': '证据',
  's.participants': '相关单位',
  's.transfer': '移送',
  's.transfers': '移送记录',
  's.requests': '协助调查',
  's.jointActions': '联动执法',
  's.timeline': '历史时间线',
  's.actions': '可执行操作',
  's.tasks': '任务',
  's.integrity': '完整性校验',
  'm.checkpoint': '最近签名检查点：版本 {version}（{at}）',
  'problem.VALIDATION': '输入有误：',
  'problem.NOT_FOUND': '对象不存在或您的单位无权查看：',
  'problem.INVALID_STATE': '当前状态不允许此操作：',
  'problem.FORBIDDEN': '您的单位无权执行此操作：',
  'problem.CONFLICT': '其他人已修改了此内容：',
  'm.asOfUnavailable': '无法重建该版本。',
  'm.pendingTo': '待移送至 {to}',
  'm.evidenceCount': '{count} 项证据',
  's.filters': '筛选条件',
  'title.cases': '案件列表',
  'title.newCase': '新建案件',
  'title.board': '联动执法看板',
};

const en = {
  'app.name': 'CaseBridge',
  'app.tagline': 'Cross-jurisdiction case coordination',
  'nav.main': 'Main',
  'nav.inbox': 'Inbox',
  'nav.cases': 'Cases',
  'nav.board': 'Joint-action board',
  'nav.newCase': 'Open a case',
  'nav.skip': 'Skip to content',
  'lang.toggle': '中文',
  'lang.label': '切换到中文',
  'auth.signIn': 'Sign in',
  'auth.signOut': 'Sign out',
  'auth.signingIn': 'Signing in…',
  'auth.signedOut': 'You have signed out.',
  'auth.failed': 'Sign-in did not complete: {reason}',
  'auth.insecure': 'Open this page over HTTPS (or on this machine): the browser offers the cryptography sign-in needs only in a secure context.',
  'auth.user': '{user} · {jurisdiction}',
  'live.connected': 'Live',
  'live.connecting': 'Connecting…',
  'live.reconnecting': 'Connection lost, reconnecting…',
  'live.forbidden': 'No live updates (no permission)',
  'inbox.title': 'Inbox',
  'inbox.transfers': 'Incoming transfers',
  'inbox.requests': 'Evidence requests to answer',
  'inbox.invitations': 'Joint-action invitations',
  'inbox.emptyTransfers': 'No transfers waiting for you.',
  'inbox.emptyRequests': 'No evidence requests waiting for you.',
  'inbox.emptyInvitations': 'No joint-action invitations waiting for you.',
  'inbox.newTransfer': 'New transfer: {title}',
  'inbox.newRequest': 'New evidence request: {title}',
  'inbox.newInvitation': 'New joint-action invitation: {title}',
  'inbox.count': '{count} waiting',
  'f.from': 'From',
  'f.to': 'To jurisdiction',
  'f.reason': 'Reason',
  'f.requestedAt': 'Requested',
  'f.dueAt': 'Due',
  'f.dueDate': 'Due date (empty: 15 working days)',
  'f.taskDue': 'Due date (optional)',
  'f.applicant': 'Requested by',
  'f.requested': 'Asked of',
  'f.description': 'What is needed',
  'f.evidenceDescription': 'Description (optional)',
  'f.coordinator': 'Coordinator',
  'f.objective': 'Objective',
  'f.participants': 'Invite jurisdictions',
  'f.title': 'Title',
  'f.summary': 'Summary',
  'f.subjectName': 'Subject name',
  'f.subjectKind': 'Subject kind',
  'f.identifier': 'Credit code or store URL',
  'f.creditCode': 'Unified social credit code (checked)',
  'h.creditCode': '18 characters; the last is a GB 32100 check character',
  'f.domicile': 'Registered domicile',
  'f.placeOfBusiness': 'Actual place of business',
  'h.jurisdictionCode': 'Division code, e.g. 330106',
  'f.platformName': 'Platform operator',
  'f.platformCreditCode': "Platform operator's credit code",
  'f.platformDomicile': "Platform operator's domicile",
  'f.store': 'Store URL or account',
  'f.category': 'Category',
  'f.legalBasis': 'Legal basis',
  'f.reference': 'Reference (empty: issued for you)',
  'f.ref': 'Reference',
  'f.filterList': 'Filter the list',
  'f.proposedAt': 'Proposed',
  'f.participantList': 'Participants',
  'f.status': 'Status',
  'f.handling': 'Handling jurisdiction',
  'f.subject': 'Subject',
  'f.version': 'Version',
  'f.openedAt': 'Opened',
  'f.updatedAt': 'Updated',
  'f.sha256': 'SHA-256',
  'f.file': 'Choose a file (hashed here, never uploaded)',
  'f.itemTitle': 'Item title',
  'f.outcome': 'Outcome',
  'f.closingSummary': 'Closing summary',
  'f.refusalReason': 'Reason for refusal',
  'f.detail': 'Detail',
  'f.assignee': 'Assignee',
  'f.taskTitle': 'Task',
  'f.taskOutcome': 'Outcome',
  'f.cases': 'Cases',
  'f.commonPosition': 'Common position',
  'f.search': 'Search',
  'f.searchHint': 'Title, reference or subject',
  'f.any': 'Any',
  'f.collectedBy': 'Collected by',
  'f.items': 'Evidence items',
  'f.jurisdiction': 'Jurisdiction',
  'f.designated': 'Designated jurisdiction',
  'f.role': 'Relation',
  'f.decision': 'Decision',
  'f.actor': 'By',
  'f.type': 'Event',
  'f.digest': 'Digest',
  'a.accept': 'Accept',
  'a.decline': 'Decline',
  'a.confirmDecline': 'Decline',
  'a.withdraw': 'Withdraw transfer',
  'a.join': 'Join',
  'a.fulfil': 'Fulfil',
  'a.refuse': 'Refuse',
  'a.cancel': 'Cancel',
  'a.requestTransfer': 'Request a transfer',
  'a.requestEvidence': 'Request evidence',
  'a.addEvidence': 'Add evidence',
  'a.closeCase': 'Close the case',
  'a.designate': 'Designate jurisdiction',
  'a.proposeJoint': 'Propose a joint action',
  'a.assignTask': 'Assign a task',
  'a.completeTask': 'Complete',
  'a.closeJoint': 'Close the joint action',
  'a.openCase': 'Open the case',
  'a.loadMore': 'Load more',
  'a.reload': 'Reload',
  'a.refresh': 'Refresh',
  'a.addItem': 'Add another item',
  'a.removeItem': 'Remove this item',
  'a.apply': 'Filter',
  'a.clear': 'Clear filters',
  'a.asOf': 'View as of this version',
  'a.backToNow': 'Back to now',
  'a.moreHistory': 'Earlier events',
  'a.showData': 'Event data',
  'm.required': 'Required.',
  'm.sha256': 'Needs a SHA-256: 64 hexadecimal characters.',
  'm.hashing': 'Computing the SHA-256 here…',
  'm.hashFailed': 'The file could not be read.',
  'm.chooseOne': 'Choose at least one.',
  'm.conflict': 'Someone else changed this since you loaded it. Reload to see the current state, then try again.',
  'm.network': 'The request did not reach the server; try again.',
  'm.loading': 'Loading…',
  'm.noCases': 'No cases match.',
  'm.caseNotFound': 'No such case, or your jurisdiction may not see it.',
  'm.overdue': 'Overdue',
  'm.none': 'None',
  'm.error': 'Something went wrong: {message}',
  'm.pleaseFix': 'Please correct the marked fields.',
  'm.transferPending': 'Transfer pending: {from} → {to}',
  'm.noPendingTransfer': 'No transfer pending.',
  'm.asOfBanner': 'Viewing the case as of version {version} ({at})',
  'm.integrityValid': 'Integrity verified: {count} events, head {head}',
  'm.integrityInvalid': 'Integrity check FAILED: the record does not match its chain from version {version}',
  'm.taskProgress': '{done} of {total} tasks done',
  'm.noJointActions': 'No joint actions yet.',
  'm.noTasks': 'No tasks yet.',
  'm.noEvidence': 'No evidence yet.',
  'm.noRequests': 'No evidence requests.',
  'm.noTransfers': 'No transfers.',
  'm.done': 'Done: {what}',
  'm.fileLocal': 'The file is read in your browser only; it is never uploaded.',
  'm.resultCount': '{count} shown',
  'm.openedCase': 'Case opened: {reference}',
  'm.earlierFiling': '{jurisdiction} has had an open case on this credit code since {since} (Administrative Penalty Law Art 25: the first to file handles); transfer or ask it.',
  'm.readOnly': 'Your jurisdiction may only read this case.',
  'm.otherHandler': 'This case is handled by {handler}.',
  'm.noActions': 'Nothing for your jurisdiction to do here now.',
  'm.viewCase': 'View case {reference}',
  'm.signInNeeded': 'Sign in to continue.',
  'm.refusal': 'Refused: {reason}',
  's.facts': 'Facts',
  's.evidence': 'Evidence',
  's.participants': 'Participants',
  's.transfer': 'Transfer',
  's.transfers': 'Transfer history',
  's.requests': 'Evidence requests',
  's.jointActions': 'Joint actions',
  's.timeline': 'Timeline',
  's.actions': 'Actions',
  's.tasks': 'Tasks',
  's.integrity': 'Integrity',
  'm.checkpoint': 'Last signed checkpoint: version {version} ({at})',
  'problem.VALIDATION': 'Invalid input:',
  'problem.NOT_FOUND': 'Not found, or not visible to your jurisdiction:',
  'problem.INVALID_STATE': 'Not possible in the current state:',
  'problem.FORBIDDEN': 'Your jurisdiction may not do this:',
  'problem.CONFLICT': 'Changed by someone else:',
  'm.asOfUnavailable': 'That version could not be rebuilt.',
  'm.pendingTo': 'Transfer pending to {to}',
  'm.evidenceCount': '{count} evidence items',
  's.filters': 'Filters',
  'title.cases': 'Cases',
  'title.newCase': 'Open a case',
  'title.board': 'Joint-action board',
};

const ENUMS = {
  CaseCategory: {
    PRODUCT_QUALITY: ['产品质量', 'Product quality'], COUNTERFEIT: ['假冒伪劣', 'Counterfeit'],
    FALSE_ADVERTISING: ['虚假宣传', 'False advertising'], PRICING: ['价格违法', 'Pricing'],
    FOOD_SAFETY: ['食品安全', 'Food safety'], PERSONAL_INFORMATION: ['个人信息保护', 'Personal information'],
    OTHER: ['其他', 'Other'],
  },
  SubjectKind: {
    PLATFORM_OPERATOR: ['平台经营者', 'Platform operator'], MARKETPLACE_SELLER: ['平台内经营者', 'Marketplace seller'],
    LIVESTREAM_SELLER: ['直播带货经营者', 'Livestream seller'], MANUFACTURER: ['生产企业', 'Manufacturer'],
    NATURAL_PERSON: ['自然人', 'Natural person'],
  },
  CaseStatus: { OPEN: ['办理中', 'Open'], CLOSED: ['已结案', 'Closed'] },
  CaseOutcome: {
    PENALTY_DECISION: ['作出行政处罚决定', 'Penalty decision'], NO_VIOLATION: ['不构成违法', 'No violation'],
    REFERRED_TO_POLICE: ['移送公安机关', 'Referred to police'], MERGED: ['并案处理', 'Merged'],
  },
  RefusalReason: {
    NOT_NEEDED_AFTER_CONSULTATION: ['经协商无需协助', 'Not needed after consultation'],
    CONFIDENTIALITY_NOT_ACCEPTED: ['保密要求未获接受', 'Confidentiality terms not accepted'],
    PROCEEDINGS_ALREADY_OPEN: ['已另案立案', 'Proceedings already open'],
    OUTSIDE_COMPETENCE: ['超出职权范围', 'Outside our competence'],
    INSUFFICIENT_INFORMATION: ['请求信息不足', 'Insufficient information'], OTHER: ['其他', 'Other'],
  },
  EvidenceRequestStatus: {
    OPEN: ['待答复', 'Open'], FULFILLED: ['已提供', 'Fulfilled'], REFUSED: ['已拒绝', 'Refused'], WITHDRAWN: ['已撤回', 'Withdrawn'],
  },
  CaseRole: {
    HANDLING: ['办理单位', 'Handling'], FORMER_HANDLER: ['原办理单位', 'Former handler'],
    TRANSFER_TARGET: ['移送接收方', 'Transfer target'], EVIDENCE_REQUEST_PARTY: ['协助调查当事方', 'Evidence-request party'],
    JOINT_ACTION_PARTICIPANT: ['联动执法参加方', 'Joint-action participant'], SUPERVISING_ANCESTOR: ['上级监督', 'Supervising'],
  },
  JointActionStatus: { ACTIVE: ['进行中', 'Active'], CLOSED: ['已结束', 'Closed'] },
  JointActionParticipantStatus: {
    COORDINATOR: ['牵头', 'Coordinator'], INVITED: ['已邀请', 'Invited'], JOINED: ['已参加', 'Joined'], DECLINED: ['已拒绝', 'Declined'],
  },
  JointTaskStatus: { OPEN: ['进行中', 'Open'], COMPLETED: ['已完成', 'Completed'] },
  TransferStatus: {
    PENDING: ['待处理', 'Pending'], ACCEPTED: ['已接收', 'Accepted'], DECLINED: ['已拒绝', 'Declined'],
    WITHDRAWN: ['已撤回', 'Withdrawn'], SUPERSEDED: ['已被取代', 'Superseded'],
  },
};


const EVENTS = {
  'Case.Opened': ['立案', 'Case opened'],
  'Case.DetailsRevised': ['修改案件信息', 'Details revised'],
  'Case.TransferRequested': ['申请移送', 'Transfer requested'],
  'Case.TransferAccepted': ['接收移送', 'Transfer accepted'],
  'Case.TransferDeclined': ['拒绝移送', 'Transfer declined'],
  'Case.TransferWithdrawn': ['撤回移送', 'Transfer withdrawn'],
  'Case.JurisdictionDesignated': ['指定管辖', 'Jurisdiction designated'],
  'Case.EvidenceAdded': ['登记证据', 'Evidence added'],
  'Case.Closed': ['结案', 'Case closed'],
  'Case.Reopened': ['重新办理', 'Case reopened'],
  'EvidenceRequest.Requested': ['发起协助调查', 'Evidence requested'],
  'EvidenceRequest.Acknowledged': ['确认收到协助请求', 'Request acknowledged'],
  'EvidenceRequest.Extended': ['延长答复期限', 'Due date extended'],
  'EvidenceRequest.Fulfilled': ['提供证据', 'Evidence provided'],
  'EvidenceRequest.Refused': ['拒绝协助', 'Request refused'],
  'EvidenceRequest.Withdrawn': ['撤回协助请求', 'Request withdrawn'],
  'JointAction.Proposed': ['发起联动执法', 'Joint action proposed'],
  'JointAction.ParticipantJoined': ['参加联动执法', 'Participant joined'],
  'JointAction.ParticipantDeclined': ['拒绝联动执法', 'Participant declined'],
  'JointAction.TaskAssigned': ['分配任务', 'Task assigned'],
  'JointAction.TaskCompleted': ['完成任务', 'Task completed'],
  'JointAction.Closed': ['结束联动执法', 'Joint action closed'],
};

const DICTS = { zh, en };
let current = initialLang();
const listeners = new Set();

function initialLang() {
  let saved = null;
  try { saved = localStorage.getItem(LANG_KEY); } catch { /* storage may be disabled */ }
  if (saved === 'zh' || saved === 'en') return saved;
  const preferred = (navigator.languages && navigator.languages[0]) || navigator.language || 'zh';
  return preferred.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

export function lang() { return current; }

export function setLang(value) {
  current = value === 'en' ? 'en' : 'zh';
  try { localStorage.setItem(LANG_KEY, current); } catch { /* a preference only */ }
  document.documentElement.lang = current === 'zh' ? 'zh-CN' : 'en';
  for (const listener of listeners) listener(current);
}

export function onLangChange(listener) { listeners.add(listener); }

/** The label for `key` in the current language, with {name} placeholders filled from `vars`. */
export function t(key, vars = {}) {
  let text = DICTS[current][key] ?? DICTS.en[key];
  if (text === undefined) {
    console.warn(`casebridge: no label for ${key}`);
    text = key;
  }
  return text.replace(/\{(\w+)\}/g, (_, name) => (vars[name] ?? `{${name}}`));
}

export function hasLabel(key) {
  return key in DICTS[current] || key in DICTS.en;
}

/** The label of an enum value (`label('CaseCategory', 'COUNTERFEIT')`). */
export function label(enumName, value) {
  if (value === null || value === undefined) return '';
  const pair = ENUMS[enumName]?.[value];
  return pair ? pair[current === 'zh' ? 0 : 1] : String(value);
}

/** [{value, label}] of an enum, for a <select>. */
export function enumOptions(enumName) {
  return Object.keys(ENUMS[enumName]).map((value) => ({ value, label: label(enumName, value) }));
}

/** A recorded event's type ("Case.TransferRequested") in words. */
export function eventLabel(type) {
  const name = String(type || '').split(':').pop().split('.').slice(-2).join('.');
  const pair = EVENTS[name];
  if (pair) return pair[current === 'zh' ? 0 : 1];
  const last = name.split('.').pop() || String(type);
  return last.replace(/([a-z])([A-Z])/g, '$1 $2');
}

/** A jurisdiction's name in the current language. */
export function jurisdictionName(j) {
  if (!j) return '';
  const name = current === 'zh' ? j.name : (j.nameEn || j.name);
  return name || j.code;
}

export function formatDateTime(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(current === 'zh' ? 'zh-CN' : 'en-GB', {
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  }).format(date);
}

export function formatDate(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(current === 'zh' ? 'zh-CN' : 'en-GB', {
    year: 'numeric', month: '2-digit', day: '2-digit',
  }).format(date);
}

document.documentElement.lang = current === 'zh' ? 'zh-CN' : 'en';
