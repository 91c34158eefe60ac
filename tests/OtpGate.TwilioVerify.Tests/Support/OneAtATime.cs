namespace OtpGate.TwilioVerify.Tests.Support;

/// <summary>
/// Every test class of this project, so that its tests run one at a time: Twilio's <c>TwilioClient</c> is one static
/// client per process, as applications use it, and the list tests page through every service of the server (by
/// position, as Twilio's Page numbers do), so a service created or deleted meanwhile by another test would shift a
/// page. The whole run takes seconds.
/// </summary>
[CollectionDefinition(nameof(OneAtATime), DisableParallelization = true)]
public sealed class OneAtATime;
