// n8n's own community-node rules (the same set n8n's scanner applies), over the published code only:
// test/, bench/, sandbox/ and scripts/ are never shipped (package.json "files" is dist/) and legitimately
// use timers, process and dev tools that the node rules forbid.
import { globalIgnores } from 'eslint/config';
import { config } from '@n8n/node-cli/eslint';

export default [globalIgnores(['test/**', 'bench/**', 'sandbox/**', 'scripts/**', 'examples/**', 'jest.config.js', 'coverage/**']), ...config];
