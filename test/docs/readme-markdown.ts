/** Reads README.md the way a person does: its sections, code blocks, inline code and the shell commands in them. */

export interface CodeBlock {
  lang: string;
  body: string;
}

/** The text of the `## title` section, up to the next `## ` heading; throws if the README has none. */
export function section(markdown: string, title: string): string {
  const start = markdown.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`README.md has no "## ${title}" section`);
  const rest = markdown.slice(start + title.length + 5);
  const end = rest.search(/\n## /);
  return end < 0 ? rest : rest.slice(0, end);
}

/** Every fenced code block, in order. */
export function codeBlocks(markdown: string): CodeBlock[] {
  return [...markdown.matchAll(/^```(\w*)\n([\s\S]*?)^```/gm)].map((m) => ({
    lang: m[1] as string,
    body: m[2] as string,
  }));
}

/** Every inline code span outside the fenced blocks. */
export function inlineCode(markdown: string): string[] {
  const prose = markdown.replace(/^```\w*\n[\s\S]*?^```/gm, "");
  return [...prose.matchAll(/`([^`\n]+)`/g)].map((m) => m[1] as string);
}

/** A shell line without its trailing `# comment` (quotes respected). */
export function withoutComment(line: string): string {
  let quote = "";
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quote) {
      if (c === quote) quote = "";
    } else if (c === "'" || c === '"') {
      quote = c;
    } else if (c === "#" && (i === 0 || /\s/.test(line[i - 1] as string))) {
      return line.slice(0, i).trimEnd();
    }
  }
  return line.trimEnd();
}

/** Splits a shell command into words: single and double quotes, backslash-newline continuations. */
export function shellWords(command: string): string[] {
  const text = command.replace(/\\\n/g, " ");
  const words: string[] = [];
  let word: string | undefined;
  let quote = "";
  for (const c of text) {
    if (quote) {
      if (c === quote) quote = "";
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      word ??= "";
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = (word ?? "") + c;
    }
  }
  if (quote) throw new Error(`unterminated ${quote} in: ${command}`);
  if (word !== undefined) words.push(word);
  return words;
}

export interface CurlRequest {
  method: string;
  url: string;
  headers: [string, string][];
  body?: string;
  /** -i: the response headers are printed too. */
  include: boolean;
}

/** What a `curl` command asks for; throws on an option this reader does not know, so the README cannot drift past it. */
export function parseCurl(words: string[]): CurlRequest {
  if (words[0] !== "curl") throw new Error(`not a curl command: ${words.join(" ")}`);
  const request: CurlRequest = { method: "", url: "", headers: [], include: false };
  for (let i = 1; i < words.length; i++) {
    const word = words[i] as string;
    const value = () => {
      const next = words[++i];
      if (next === undefined) throw new Error(`${word} needs a value`);
      return next;
    };
    if (word === "-i" || word === "--include") request.include = true;
    else if (word === "-X" || word === "--request") request.method = value();
    else if (word === "-H" || word === "--header") {
      const header = value();
      const colon = header.indexOf(":");
      request.headers.push([header.slice(0, colon).trim(), header.slice(colon + 1).trim()]);
    } else if (word === "-d" || word === "--data") request.body = value();
    else if (word.startsWith("-")) throw new Error(`curl option ${word} is not understood by this test`);
    else request.url = word;
  }
  request.method ||= request.body === undefined ? "GET" : "POST";
  if (!request.url) throw new Error(`curl command without a URL: ${words.join(" ")}`);
  return request;
}
