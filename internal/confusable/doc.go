// Package confusable folds characters that look alike into one
// representative, so that names which render the same compare equal: the
// Unicode UTS #39 confusables table (Cyrillic, Greek, Armenian and other
// lookalikes of Latin letters), diacritics, and the ASCII confusions that
// matter in package names ("1"/"l"/"I", "0"/"o", "rn"/"m", "vv"/"w"). It
// also classifies a name's scripts to spot mixed-script names.
//
// Pure functions only; ASCII input takes an allocation-light fast path
// because that is nearly every package name.
package confusable
