/** Splits a D1 query into its statements the way SQLite reads them: `;` outside strings and comments. */

/**
 * D1's query endpoint takes several statements in one `sql` string and answers one result per
 * statement. Trigger bodies (`BEGIN … END`) hold semicolons of their own; they are refused rather
 * than split wrongly.
 */
export function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let current = "";
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i] as string;
    const next = sql[i + 1];
    if (ch === "-" && next === "-") {
      const end = sql.indexOf("\n", i);
      const stop = end === -1 ? sql.length : end + 1;
      current += sql.slice(i, stop);
      i = stop;
    } else if (ch === "/" && next === "*") {
      const end = sql.indexOf("*/", i + 2);
      const stop = end === -1 ? sql.length : end + 2;
      current += sql.slice(i, stop);
      i = stop;
    } else if (ch === "'" || ch === '"' || ch === "`" || ch === "[") {
      const close = ch === "[" ? "]" : ch;
      let j = i + 1;
      while (j < sql.length) {
        if (sql[j] === close) {
          // A doubled quote is an escaped quote inside the literal.
          if (close !== "]" && sql[j + 1] === close) j += 2;
          else break;
        } else j += 1;
      }
      current += sql.slice(i, j + 1);
      i = j + 1;
    } else if (ch === ";") {
      statements.push(current);
      current = "";
      i += 1;
    } else {
      current += ch;
      i += 1;
    }
  }
  statements.push(current);
  const real = statements.filter((s) => stripComments(s).trim() !== "").map((s) => s.trim());
  if (real.some((s) => /^\s*create\s+(temp\s+|temporary\s+)?trigger\b/i.test(stripComments(s)))) {
    throw new Error("CREATE TRIGGER is not supported by the stand-in's statement splitter");
  }
  return real;
}

function stripComments(sql: string): string {
  return sql.replace(/--[^\n]*(\n|$)/g, "\n").replace(/\/\*[\s\S]*?(\*\/|$)/g, " ");
}
