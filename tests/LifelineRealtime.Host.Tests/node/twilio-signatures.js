// Computes and checks Twilio request signatures with the official `twilio` npm package, for comparison
// with the host's verifier. Usage: node twilio-signatures.js <node_modules dir>  (cases as JSON on stdin)
'use strict';
const path = require('path');
const twilio = require(path.join(process.argv[2], 'twilio'));

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', chunk => { input += chunk; });
process.stdin.on('end', () => {
  const cases = JSON.parse(input);
  const results = cases.map(c => {
    if (c.kind === 'json') {
      return {
        expected: twilio.getExpectedTwilioSignature(c.token, c.url, {}),
        valid: twilio.validateRequestWithBody(c.token, c.signature, c.url, c.body),
      };
    }
    return {
      expected: twilio.getExpectedTwilioSignature(c.token, c.url, c.params),
      valid: twilio.validateRequest(c.token, c.signature, c.url, c.params),
    };
  });
  process.stdout.write(JSON.stringify(results));
});
