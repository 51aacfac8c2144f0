/**
 * The supplement page: Markdown and HTML (table of contents, LaTeX tables), result files, provenance and the
 * executed notebooks.
 *
 * @module
 */
export * from "./assemble_report.ts";
export * from "./execute_notebook.ts";
export * from "./kernelspec.ts";
export * from "./latex_tables.ts";
export * from "./plain_text.ts";
export * from "./profile_notes.ts";
export * from "./provenance.ts";
export * from "./read_results.ts";
export * from "./records_csv.ts";
export * from "./render_markdown.ts";
export * from "./report_html.ts";
export * from "./report_markdown.ts";
export * from "./report_sections.ts";
export * from "./write_report.ts";
