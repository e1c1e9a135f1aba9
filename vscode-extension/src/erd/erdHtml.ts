// Builds the ERD webview's HTML. Pure, so the escaping and the Content-Security-Policy are unit-tested.
// No script runs in the page: the CSP has no script-src, and the "fit to window" toggle is plain CSS.

export type ErdContent =
  | { kind: 'svg'; svg: string; message?: string }
  | { kind: 'text'; text: string; message?: string }
  | { kind: 'loading' }
  | { kind: 'error'; message: string };

export interface ErdPage {
  title: string;
  /** `webview.cspSource`. */
  cspSource: string;
  /** A fresh random value per render, allowing the page's one <style> element. */
  nonce: string;
  content: ErdContent;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

/**
 * The server's SVG document from its `<svg` element on: the XML declaration, DOCTYPE and comments that
 * Graphviz writes before it have no place inside HTML. Undefined when there is no `<svg` element.
 */
export function svgElement(document: string): string | undefined {
  const start = document.search(/<svg[\s>]/i);
  return start === -1 ? undefined : document.slice(start);
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
    `style-src 'nonce-${nonce}'`,
  ].join('; ');
}

const STYLE = `
  body { margin: 0; padding: 0 1rem 1rem; color: var(--vscode-foreground); background: var(--vscode-editor-background);
         font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); }
  header { display: flex; gap: 1rem; align-items: center; padding: 0.5rem 0; }
  h1 { font-size: 1.1em; font-weight: 600; margin: 0; flex: 1; }
  .notice { padding: 0.4rem 0.6rem; border-left: 3px solid var(--vscode-editorWarning-foreground);
            background: var(--vscode-textBlockQuote-background); }
  .error { border-left-color: var(--vscode-editorError-foreground); }
  .diagram { overflow: auto; }
  .diagram svg { background: #ffffff; border-radius: 4px; }
  #fit:checked ~ .diagram svg { max-width: 100%; height: auto; }
  pre { font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); line-height: 1.3;
        padding: 0.5rem; background: var(--vscode-textCodeBlock-background); overflow: auto; }
`;

function notice(message: string | undefined, className = 'notice'): string {
  return message === undefined ? '' : `<p class="${className}">${escapeHtml(message)}</p>`;
}

function body(content: ErdContent): string {
  switch (content.kind) {
    case 'loading':
      return '<p>Rendering the diagram…</p>';
    case 'error':
      return notice(content.message, 'notice error');
    case 'text':
      return `${notice(content.message)}<pre>${escapeHtml(content.text)}</pre>`;
    case 'svg': {
      const svg = svgElement(content.svg);
      if (svg === undefined) {
        return `${notice('The server sent no SVG element; its reply is shown as text.')}<pre>${escapeHtml(content.svg)}</pre>`;
      }
      return (
        `<input type="checkbox" id="fit" checked><label for="fit">Fit to window</label>` +
        `${notice(content.message)}<div class="diagram">${svg}</div>`
      );
    }
  }
}

export function renderErdPage(page: ErdPage): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(page.cspSource, page.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(page.title)}</title>
<style nonce="${escapeHtml(page.nonce)}">${STYLE}</style>
</head>
<body>
<header><h1>${escapeHtml(page.title)}</h1></header>
${body(page.content)}
</body>
</html>
`;
}
