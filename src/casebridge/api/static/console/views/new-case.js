// Opening a case.

import { announce, h } from '../dom.js';
import { actionForm } from '../forms.js';
import { enumOptions, t } from '../i18n.js';
import { pageHead } from './components.js';

export function renderNewCase(main) {
  const form = actionForm({
    mutation: 'openCase',
    selection: 'case { id reference }',
    submitLabel: t('a.openCase'),
    className: 'wide',
    fields: [
      { name: 'title', label: t('f.title'), required: true },
      { name: 'summary', label: t('f.summary'), type: 'textarea', required: true, rows: 4 },
      { name: 'subject.name', label: t('f.subjectName'), required: true },
      { name: 'subject.kind', label: t('f.subjectKind'), type: 'select', required: true, placeholder: '', options: enumOptions('SubjectKind') },
      { name: 'subject.identifier', label: t('f.identifier') },
      { name: 'category', label: t('f.category'), type: 'select', required: true, placeholder: '', options: enumOptions('CaseCategory') },
      { name: 'legalBasis', label: t('f.legalBasis') },
      { name: 'reference', label: t('f.reference') },
    ],
    input: (v) => ({
      title: v.title,
      summary: v.summary,
      subject: { name: v['subject.name'], kind: v['subject.kind'], identifier: v['subject.identifier'] || null },
      category: v.category,
      legalBasis: v.legalBasis || null,
      reference: v.reference || null,
    }),
    onSuccess: (result) => {
      announce(t('m.openedCase', { reference: result.case.reference }));
      location.hash = `#/cases/${encodeURIComponent(result.case.id)}`;
    },
    onCancel: () => { location.hash = '#/cases'; },
  });
  main.append(pageHead(t('title.newCase')), h('section', { class: 'panel' }, form));
}
