/** authform's entry: `bun alchemy.run.ts [--stage NAME] [--plan | --destroy] [--config PATH]`. */
import { main } from "./src/cli/main.ts";
import { reportFailure } from "./src/cli/report-failure.ts";

main(process.argv.slice(2), process.env).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err) => process.exit(reportFailure(err)),
);
