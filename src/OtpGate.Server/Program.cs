using OtpGate.Server;

// Composed in ServerHost, so that `otpgate serve` runs this very server.
return await ServerHost.RunAsync(args, Console.Out, Console.Error);

/// <summary>The entry point, for <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
