// Twilio's Node.js library (npm "twilio") against a running OtpGate, set up as README's "Coming from Twilio Verify"
// shows: only client.verify.baseUrl differs from a Twilio application. Run by NodeLibraryTests, which passes the
// server and the credentials in the environment and reads the one JSON line this prints.
const twilio = require('twilio');

const { OTPGATE_URL, ACCOUNT_SID, AUTH_TOKEN, API_KEY_SID, API_KEY_SECRET, API_KEY_ACCOUNT_SID, SHOP_SID, PHONE } = process.env;

// The code the sandbox's phone received, as OtpGate's other tests read it.
async function readCode(phone) {
  const digits = phone.replace(/\D/g, '');
  for (let i = 0; i < 300; i++) {
    const messages = await (await fetch(`${OTPGATE_URL}/sandbox/_sandbox/messages?phone=${digits}`)).json();
    if (messages.length > 0) {
      return messages[messages.length - 1].code;
    }
    await new Promise(resolve => setTimeout(resolve, 50));
  }
  throw new Error(`No message reached ${phone} in the sandbox.`);
}

async function refusal(call) {
  try {
    await call();
    return null;
  } catch (e) {
    return { name: e.constructor.name, status: e.status, code: e.code, moreInfo: e.moreInfo };
  }
}

async function main() {
  const client = twilio(ACCOUNT_SID, AUTH_TOKEN);
  client.verify.baseUrl = OTPGATE_URL;

  const service = await client.verify.v2.services.create({ friendlyName: 'Node app' });
  const started = await client.verify.v2.services(service.sid).verifications.create({ to: PHONE, channel: 'whatsapp' });
  const code = await readCode(PHONE);
  const wrongCode = [...code].map(d => (d === '9' ? '0' : String(Number(d) + 1))).join('');
  const wrong = await client.verify.v2.services(service.sid).verificationChecks.create({ to: PHONE, code: wrongCode });
  const right = await client.verify.v2.services(service.sid).verificationChecks.create({ to: PHONE, code });
  const afterApproval = await refusal(() => client.verify.v2.services(service.sid).verifications(started.sid).fetch());
  const listed = await client.verify.v2.services.list({ pageSize: 2 });

  const withKey = twilio(API_KEY_SID, API_KEY_SECRET, { accountSid: API_KEY_ACCOUNT_SID });
  withKey.verify.baseUrl = OTPGATE_URL;
  const shop = await withKey.verify.v2.services(SHOP_SID).fetch();

  const wrongToken = twilio(ACCOUNT_SID, 'not-the-auth-token-0123456789');
  wrongToken.verify.baseUrl = OTPGATE_URL;
  const unauthenticated = await refusal(() => wrongToken.verify.v2.services.list());

  console.log(JSON.stringify({
    service: { sid: service.sid, friendlyName: service.friendlyName },
    started: { sid: started.sid, status: started.status, channel: started.channel, to: started.to, dateCreatedIsDate: started.dateCreated instanceof Date },
    wrong: { sid: wrong.sid, status: wrong.status, valid: wrong.valid },
    right: { sid: right.sid, status: right.status, valid: right.valid },
    afterApproval,
    listed: listed.map(s => s.sid),
    shop: { sid: shop.sid, friendlyName: shop.friendlyName },
    unauthenticated,
  }));
}

main().catch(e => {
  console.error(e.stack || String(e));
  process.exit(1);
});
