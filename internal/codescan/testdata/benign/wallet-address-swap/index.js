// Validates address formats before a payment form is submitted.
const ETH = /^0x[a-fA-F0-9]{40}$/;
const BTC = /^(bc1|[13])[a-zA-HJ-NP-Z0-9]{25,39}$/;
const SOL = /^[1-9A-HJ-NP-Za-km-z]{32,44}$/;

exports.isEth = (a) => ETH.test(a);
exports.isBtc = (a) => BTC.test(a);
exports.isSol = (a) => SOL.test(a);
