// Bidi controls written as escapes, as text-handling code does.
const BIDI = /[\u202A-\u202E\u2066-\u2069]/;

function hasBidi(s) {
  return BIDI.test(s);
}

function isolate(s) {
  return '\u2068' + s + '\u2069';
}

module.exports = { hasBidi, isolate };
