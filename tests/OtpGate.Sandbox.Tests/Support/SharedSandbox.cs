namespace OtpGate.Sandbox.Tests.Support;

/// <summary>One real-clock sandbox shared by a test class whose tests do not depend on each other's state.</summary>
public sealed class SharedSandbox : IAsyncLifetime
{
    private TestSandbox? _sandbox;

    public TestSandbox Sandbox => _sandbox ?? throw new InvalidOperationException("Not started.");

    public SandboxApi Api => Sandbox.Api;

    public async ValueTask InitializeAsync() => _sandbox = await TestSandbox.StartAsync(o =>
    {
        o.Templates.Add(new Templates.SandboxTemplate { Name = "registration_otp", Namespace = "otpgate_sandbox", Language = "es", BodyText = "{{1}} es tu código de verificación. Por tu seguridad, no lo compartas." });
        o.Templates.Add(new Templates.SandboxTemplate { Name = "paused_otp", Namespace = "otpgate_sandbox", Language = "en", Status = "paused" });
        o.Templates.Add(new Templates.SandboxTemplate
        {
            Name = "order_update",
            Namespace = "otpgate_sandbox",
            Language = "en",
            Category = "UTILITY",
            BodyText = "Hello {{1}}, your order {{2}} has shipped.",
            FooterText = null,
            Buttons = [],
        });
    });

    public async ValueTask DisposeAsync()
    {
        if (_sandbox is not null)
        {
            await _sandbox.DisposeAsync();
        }
    }
}
