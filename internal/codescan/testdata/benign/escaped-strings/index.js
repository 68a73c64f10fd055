// Terminal escapes and non-ASCII text, written as escapes because they
// cannot be typed: none decodes to plain printable ASCII.
const ESC = '\x1b[';
const codes = {
  reset: '\x1b[0m', bold: '\x1b[1m', red: '\x1b[31m', green: '\x1b[32m',
  bell: '\x07', clear: '\x1b[2J\x1b[H', hide: '\x1b[?25l', show: '\x1b[?25h',
};
const box = '\u250c\u2500\u2500\u2510';
const accents = '\u00e9\u00e8\u00ea\u00eb';
const nbsp = '\u00a0\u00a0';
const quote = "\x27";
module.exports = { ESC, codes, box, accents, nbsp, quote };
