'use strict';
// The honest part: a tiny colour helper.
const styles = { red: [31, 39], green: [32, 39], bold: [1, 22] };
function wrap(name, text) {
  const s = styles[name];
  return '\u001B[' + s[0] + 'm' + text + '\u001B[' + s[1] + 'm';
}
module.exports = { red: (t) => wrap('red', t), green: (t) => wrap('green', t), bold: (t) => wrap('bold', t) };
