// Runs the sandbox's TypeScript (and the test counterparts it reuses) without a build step: a transpile-only
// require hook. Types are checked by `npm run typecheck`.
const fs = require('fs');
const ts = require('typescript');

require.extensions['.ts'] = function compileTs(module, filename) {
	const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
		fileName: filename,
		compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, inlineSourceMap: true },
	});
	module._compile(outputText, filename);
};
