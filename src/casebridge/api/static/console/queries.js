// The GraphQL documents the console sends. Names follow the API contract.

const J = 'code name nameEn';

export const INBOX_FIELDS = `
  incomingTransfers {
    id reason requestedAt
    from { ${J} }
    to { ${J} }
    case { id reference title version category subject { name } handlingJurisdiction { ${J} } }
  }
  evidenceRequests {
    id description legalBasis dueAt overdue paused acknowledged status version requestedAt
    clarification { question answer }
    applicant { ${J} }
    requested { ${J} }
    case { id reference title }
  }
  jointActionInvitations {
    id title objective status version proposedAt
    coordinator { ${J} }
    participants { jurisdiction { ${J} } status }
  }
  designationPetitions {
    reason openedAt settleDueAt dueAt overdue
    from { ${J} }
    to { ${J} }
    case { id reference title version handlingJurisdiction { ${J} } }
  }`;

export const INBOX = `query Inbox { inbox { ${INBOX_FIELDS} } }`;

export const INBOX_SUBSCRIPTION = `subscription InboxChanged { inboxChanged { ${INBOX_FIELDS} } }`;

export const ME = `query Me {
  me { clientId scopes jurisdiction { ${J} } }
  jurisdictions { ${J} parent { code } }
}`;

export const CASE_ROW = `id reference title status category version updatedAt
  handlingJurisdiction { ${J} }
  subject { name kind }
  pendingTransfer { to { ${J} } }`;

export const CASES = `query Cases($first: Int!, $after: String, $filter: CaseFilter) {
  cases(first: $first, after: $after, filter: $filter) {
    edges { cursor node { ${CASE_ROW} } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const CASE_FIELDS = `
  id reference title summary status category legalBasis outcome closingSummary version openedAt updatedAt
  handlingJurisdiction { ${J} }
  subject {
    name kind identifier creditCode store domicile { ${J} } placeOfBusiness { ${J} }
    platformOperator { name creditCode domicile { ${J} } }
  }
  pendingTransfer { from { ${J} } to { ${J} } reason requestedAt }
  participants { jurisdiction { ${J} } role }
  evidence { id title sha256 description collectedAt collectedBy { ${J} } provenance { requestId jurisdiction { ${J} } } }
  transfers { id status reason requestedAt decidedAt decisionReason from { ${J} } to { ${J} } }
  decisionPeriod { dueAt overdue pausedOn pauseReason extensions }
  designationPetition { superior { ${J} } reason settleDueAt dueAt overdue }
  outcomeDetails { decisionNumber amountFen legalBasis ground agency mergedInto }
  suspensionReason
  evidenceRequests {
    id status description legalBasis dueAt overdue paused acknowledged version requestedAt answeredAt refusalReason refusalDetail
    findingsNote competentJurisdiction { ${J} } clarification { question askedAt answer answeredAt }
    applicant { ${J} } requested { ${J} }
    items { title sha256 description }
  }
  jointActions { id title status version coordinator { ${J} } participants { jurisdiction { ${J} } status } tasks { id status } }`;

export const CASE = `query Case($id: ID!) { case(id: $id) { ${CASE_FIELDS} } }`;

export const JOINT_ACTION_FIELDS = `
  id title objective status commonPosition version proposedAt closedAt
  coordinator { ${J} }
  participants { jurisdiction { ${J} } status reason }
  cases { id reference title }
  tasks { id title status dueAt outcome completedAt assignee { ${J} } }`;

/** The case page's live feed: the case's version, pushed whenever the case changes. */
export function caseChanged(id) {
  return `subscription CaseChanged { caseChanged(id: ${JSON.stringify(String(id))}) { id version } }`;
}

/** A page of the joint actions the caller coordinates or was invited to, newest first. */
export const JOINT_ACTIONS_PAGE = `query JointActions($after: String) {
  jointActions(first: 50, after: $after) {
    edges { node { ${JOINT_ACTION_FIELDS} } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const CASE_CHOICES = `query CaseChoices { cases(first: 100, filter: { status: OPEN, role: HANDLING }) {
  edges { node { id reference title } }
} }`;

// -- legal replay (present when the server offers it; feature-detected) --------------------

const EVENT = 'version type occurredAt data digest';
const ACTORS = ['actor { clientId jurisdiction user }', 'actor { clientId jurisdiction }', 'actor { clientId jurisdiction { code } }'];

/** Variants of the history query, most likely first: a keyset connection, or a plain list. */
export const HISTORY_VARIANTS = ACTORS.flatMap((actor) => [
  { paged: true, query: `query CaseHistory($id: ID!, $after: String) {
    caseHistory(caseId: $id, first: 50, after: $after) {
      edges { cursor node { ${EVENT} ${actor} } }
      pageInfo { hasNextPage endCursor }
    }
  }` },
  { paged: false, query: `query CaseHistory($id: ID!) { caseHistory(caseId: $id, first: 200) { ${EVENT} ${actor} } }` },
]);

/** The integrity check: with the reason and the checkpoint where the server gives them, else the contract's fields. */
export const VERIFY_VARIANTS = [
  `query VerifyCase($id: ID!) { verifyCase(caseId: $id) { valid eventCount headDigest firstInvalidVersion problem checkpoint { version checkpointedAt } } }`,
  `query VerifyCase($id: ID!) { verifyCase(caseId: $id) { valid eventCount headDigest firstInvalidVersion } }`,
];

/** The case as of a version; the version is written into the document (an Int literal). */
export function caseAsOf(version, full) {
  const fields = full
    ? `reference title summary status category version asOf handlingJurisdiction { ${J} } subject { name kind identifier } pendingTransfer { to { ${J} } reason } evidence { title sha256 }`
    : `version status title handlingJurisdiction { ${J} }`;
  return `query CaseAsOf($id: ID!) { caseAsOf(caseId: $id, version: ${Number(version)}) { ${fields} } }`;
}
