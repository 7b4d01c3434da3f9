// Masks the runtime of the library's provider functions (the newest Node.js runtime of the installed aws-cdk-lib),
// so that a newer aws-cdk-lib does not change the snapshot: see scripts/integ/handler-runtime-mask.ts.
const { isTemplate, maskHandlerRuntimes } = require('../scripts/integ/handler-runtime-mask');

// The masked copies, printed as they are (they are templates too).
const masked = new WeakSet();

module.exports = {
  test: (value) => isTemplate(value) && !masked.has(value),
  serialize: (value, config, indentation, depth, refs, printer) => {
    const copy = maskHandlerRuntimes(value);
    masked.add(copy);
    return printer(copy, config, indentation, depth, refs);
  },
};
