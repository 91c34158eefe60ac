// One running OtpGate for the whole assembly: every test uses its own phone numbers and services.
[assembly: AssemblyFixture(typeof(OtpGate.TwilioVerify.Tests.Support.OtpGateServer))]
