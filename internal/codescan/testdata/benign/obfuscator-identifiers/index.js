// Bit helpers. Names like _0xff below are ordinary (and few).
const _0xff00 = 0xff00;
const _0x00ff = 0x00ff;
exports.high = (v) => (v & _0xff00) >> 8;
exports.low = (v) => v & _0x00ff;
