// The joint-action board for enforcement leads: every joint action the user's jurisdiction
// coordinates or was invited to, with participants, tasks and progress, and the commands
// each side may give.

import { gql } from '../api.js';
import { h } from '../dom.js';
import { label, t } from '../i18n.js';
import { CASE_CHOICES, JOINT_ACTIONS_PAGE } from '../queries.js';
import { hasScope, myCode, onInbox } from '../state.js';
import * as actions from './actions.js';
import {
  caseLink, chip, empty, errorBox, facts, jurisdiction, loading, notices, notify, pageHead, statusChip, taskProgress, when,
} from './components.js';

const MAX_PAGES = 20; // the board shows at most 1,000 joint actions

async function loadJointActions() {
  const found = [];
  let after = null;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const data = await gql(JOINT_ACTIONS_PAGE, { after });
    for (const edge of data.jointActions.edges) found.push(edge.node);
    if (!data.jointActions.pageInfo.hasNextPage) break;
    after = data.jointActions.pageInfo.endCursor;
  }
  // Running first, then newest first.
  return found.sort((a, b) => (a.status === b.status ? String(b.proposedAt).localeCompare(String(a.proposedAt)) : a.status === 'ACTIVE' ? -1 : 1));
}

export function renderBoard(main) {
  const board = h('div', { class: 'board', id: 'board' }, loading());
  const tools = h('div', { class: 'board-tools' });
  let busy = false;

  async function load() {
    busy = true;
    try {
      const list = await loadJointActions();
      board.replaceChildren(...(list.length ? list.map((a) => card(a, load, main)) : [empty(t('m.noJointActions'))]));
    } catch (error) {
      board.replaceChildren(errorBox(error, load));
    } finally {
      busy = false;
    }
  }

  main.append(pageHead(t('title.board'), tools), notices(), board);
  if (hasScope('joint-actions:write')) {
    gql(CASE_CHOICES).then((data) => {
      const choices = data.cases.edges.map((e) => e.node);
      if (choices.length) {
        tools.append(actions.proposeJointAction(choices, [], {
          primary: true, reload: load, done: () => { load(); notify(main, t('m.done', { what: t('a.proposeJoint') })); },
        }));
      }
    }).catch(() => {});
  }
  load();
  // An invitation arriving or being answered changes the board too.
  return onInbox((inbox, previous) => { if (previous && !busy && !main.querySelector('.board form')) load(); });
}

function card(a, reload, main) {
  const me = myCode();
  const write = hasScope('joint-actions:write');
  const coordinating = a.coordinator.code === me;
  const mine = a.participants.find((p) => p.jurisdiction.code === me);
  const active = a.status === 'ACTIVE';
  const opts = { version: a.version, reload, done: (what) => () => { reload(); notify(main, t('m.done', { what })); } };
  const commands = [];
  if (write && active && mine && mine.status === 'INVITED') {
    commands.push(actions.joinJointAction(a, { ...opts, done: opts.done(t('a.join')) }));
    commands.push(actions.declineJointAction(a, { ...opts, done: opts.done(t('a.decline')) }));
  }
  if (write && active && coordinating) {
    commands.push(actions.assignTask(a, { ...opts, done: opts.done(t('a.assignTask')) }));
    commands.push(actions.closeJointAction(a, { ...opts, done: opts.done(t('a.closeJoint')) }));
  }
  return h('article', { class: `card joint-action status-${a.status.toLowerCase()}`, dataset: { jointActionId: a.id } },
    h('header', { class: 'card-head' },
      h('h2', {}, a.title), statusChip('JointActionStatus', a.status)),
    facts([
      [t('f.coordinator'), jurisdiction(a.coordinator)],
      [t('f.objective'), a.objective],
      [t('f.cases'), a.cases.length ? h('span', { class: 'case-links' }, a.cases.map((c) => caseLink(c))) : null],
      [t('f.commonPosition'), a.commonPosition],
    ]),
    h('ul', { class: 'participant-chips', 'aria-label': t('f.participants') }, a.participants.map((p) => h('li', {},
      chip(`${jurisdiction(p.jurisdiction).textContent} · ${label('JointActionParticipantStatus', p.status)}`, `participant-${p.status.toLowerCase()}`)))),
    taskProgress(a.tasks),
    h('h3', {}, t('s.tasks')),
    a.tasks.length ? h('ul', { class: 'tasks' }, a.tasks.map((task) => h('li', { class: `task task-${task.status.toLowerCase()}`, dataset: { taskId: task.id } },
      h('div', { class: 'task-line' },
        statusChip('JointTaskStatus', task.status), ' ',
        h('span', { class: 'task-title' }, task.title)),
      h('div', { class: 'muted' }, `${t('f.assignee')}: `, jurisdiction(task.assignee),
        task.dueAt ? [' · ', `${t('f.dueAt')}: `, when(task.dueAt)] : null,
        task.outcome ? [' · ', task.outcome] : null),
      write && active && task.status === 'OPEN' && task.assignee.code === me
        ? actions.completeTask(a, task, { ...opts, done: opts.done(t('a.completeTask')) }) : null)))
      : h('p', { class: 'empty' }, t('m.noTasks')),
    commands.length ? h('div', { class: 'card-actions' }, commands) : null);
}
