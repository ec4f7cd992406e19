/**
 * `kata`: the workbook's command line. `npm run kata -- help` lists the commands (commands.ts).
 */
import { main } from "./commands.ts";

process.exitCode = await main(process.argv.slice(2));
