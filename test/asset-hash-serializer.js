// Masks 64-hex asset hashes so the snapshot shows the template's shape, not the bundle's bytes.
const HASH = /[0-9a-f]{64}/;

module.exports = {
  test: (value) => typeof value === 'string' && HASH.test(value),
  serialize: (value) => JSON.stringify(value.replace(new RegExp(HASH.source, 'g'), '[ASSET HASH]')),
};
