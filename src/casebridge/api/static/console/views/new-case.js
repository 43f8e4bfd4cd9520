// Opening a case.

import { announce, h } from '../dom.js';
import { actionForm } from '../forms.js';
import { enumOptions, t } from '../i18n.js';
import { pageHead } from './components.js';

export function renderNewCase(main) {
  const form = actionForm({
    mutation: 'openCase',
    selection: 'case { id reference } earlierFilings { jurisdiction { code name } since }',
    submitLabel: t('a.openCase'),
    className: 'wide',
    fields: [
      { name: 'title', label: t('f.title'), required: true },
      { name: 'summary', label: t('f.summary'), type: 'textarea', required: true, rows: 4 },
      { name: 'subject.name', label: t('f.subjectName'), required: true },
      { name: 'subject.kind', label: t('f.subjectKind'), type: 'select', required: true, placeholder: '', options: enumOptions('SubjectKind') },
      { name: 'subject.identifier', label: t('f.identifier') },
      { name: 'subject.creditCode', label: t('f.creditCode'), hint: t('h.creditCode') },
      { name: 'subject.domicile', label: t('f.domicile'), hint: t('h.jurisdictionCode') },
      { name: 'subject.placeOfBusiness', label: t('f.placeOfBusiness'), hint: t('h.jurisdictionCode') },
      { name: 'subject.platformOperator.name', label: t('f.platformName') },
      { name: 'subject.platformOperator.creditCode', label: t('f.platformCreditCode') },
      { name: 'subject.platformOperator.domicile', label: t('f.platformDomicile'), hint: t('h.jurisdictionCode') },
      { name: 'subject.store', label: t('f.store') },
      { name: 'category', label: t('f.category'), type: 'select', required: true, placeholder: '', options: enumOptions('CaseCategory') },
      { name: 'legalBasis', label: t('f.legalBasis') },
      { name: 'reference', label: t('f.reference') },
    ],
    input: (v) => ({
      title: v.title,
      summary: v.summary,
      subject: {
        name: v['subject.name'], kind: v['subject.kind'], identifier: v['subject.identifier'] || null,
        creditCode: v['subject.creditCode'] || null,
        domicile: v['subject.domicile'] || null,
        placeOfBusiness: v['subject.placeOfBusiness'] || null,
        platformOperator: v['subject.platformOperator.name'] || v['subject.platformOperator.creditCode'] || v['subject.platformOperator.domicile']
          ? { name: v['subject.platformOperator.name'], creditCode: v['subject.platformOperator.creditCode'] || null,
              domicile: v['subject.platformOperator.domicile'] || null }
          : null,
        store: v['subject.store'] || null,
      },
      category: v.category,
      legalBasis: v.legalBasis || null,
      reference: v.reference || null,
    }),
    onSuccess: (result) => {
      // 行政处罚法 Art 25: another jurisdiction filed first on this credit code; say who and since when.
      const earlier = (result.earlierFilings || []).map(
        (f) => t('m.earlierFiling', { jurisdiction: f.jurisdiction.name, since: f.since.slice(0, 10) }));
      announce([t('m.openedCase', { reference: result.case.reference }), ...earlier].join(' '));
      location.hash = `#/cases/${encodeURIComponent(result.case.id)}`;
    },
    onCancel: () => { location.hash = '#/cases'; },
  });
  main.append(pageHead(t('title.newCase')), h('section', { class: 'panel' }, form));
}
