// One running OtpGate for the whole assembly: every test uses its own phone numbers and services.
[assembly: AssemblyFixture(typeof(OtpGate.TwilioVerify.Tests.Support.OtpGateServer))]

// One test at a time: the list tests page through every service of the server (/v2 pages by position, as Twilio's
// Page numbers do), so a service another test created or deleted meanwhile would shift a page. The whole run takes
// seconds.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
