/** A D1 binding that records the SQL of every statement prepared on it, and on the D1 sessions opened on it. */
export function recordedD1<T extends D1Database | D1DatabaseSession>(
  db: T,
  record: (sql: string) => void,
): T {
  return new Proxy(db, {
    get(target, key) {
      if (key === "withSession")
        return (constraint: string) => recordedD1((target as D1Database).withSession(constraint), record);
      if (key === "prepare") {
        return (query: string) => {
          record(query);
          return target.prepare(query);
        };
      }
      const value = Reflect.get(target, key);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
