// Local development defaults.
module.exports = {
  url: 'http://127.0.0.1:3000',
  router: 'http://192.168.1.1/',
  cache: 'http://10.0.0.5:8080/cache',
  docker: 'http://172.17.0.1:2375',
};
