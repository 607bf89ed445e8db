/** The isolation report: a model built from the evaluator, and its three renderings. */
export { buildReport, describeSource, type ReportOptions } from './build.ts';
export { reportHtml, htmlEscape, type HtmlOptions } from './html.ts';
export { reportJson } from './json.ts';
export { reportMarkdown, mdEscape, type MarkdownOptions } from './markdown.ts';
export type * from './model.ts';
