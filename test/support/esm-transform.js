// Jest loads modules as CommonJS; @marcbachmann/cel-js ships ES modules only. This transform
// rewrites that package's files to CommonJS with the TypeScript compiler (cached by Jest).
const ts = require('typescript');

module.exports = {
  process(source, filename) {
    const out = ts.transpileModule(source, {
      fileName: filename,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, sourceMap: false },
    });
    return { code: out.outputText };
  },
};
