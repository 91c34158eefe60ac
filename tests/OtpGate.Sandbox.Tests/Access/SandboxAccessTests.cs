using System.Net;
using OtpGate.Sandbox.Access;
using OtpGate.Sandbox.Tests.Support;

namespace OtpGate.Sandbox.Tests.Access;

/// <summary>The sandbox shows every code and lets anyone redirect its webhook: it is for this machine only unless allowed.</summary>
public sealed class SandboxAccessTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5090", true)]
    [InlineData("http://127.1.2.3:5090", true)]
    [InlineData("http://[::1]:5090", true)]
    [InlineData("http://localhost:5090", true)]
    [InlineData("http://unix:/run/otpgate/sandbox.sock", true)]
    [InlineData("http://0.0.0.0:5090", false)]
    [InlineData("http://[::]:5090", false)]
    [InlineData("http://*:5090", false)]
    [InlineData("http://+:5090", false)]
    [InlineData("http://192.0.2.10:5090", false)]
    [InlineData("http://sandbox.example:5090", false)]
    public void Only_loopback_addresses_localhost_and_local_sockets_count_as_this_machine(string address, bool local)
    {
        Assert.Equal(local, SandboxAccess.IsLocalOnly(address));
    }

    [Fact]
    public async Task The_standalone_sandbox_will_not_listen_on_every_address_and_says_why_in_one_sentence()
    {
        var (exitCode, output) = await StandaloneSandbox.RunUntilExitAsync($"http://0.0.0.0:{StandaloneSandbox.FreePort()}");

        Assert.Equal(1, exitCode); // a configuration error, not a crash (134)
        Assert.Matches(@"(?m)^The 1MSG sandbox would answer beyond this machine on http://0\.0\.0\.0:\d+, and it shows every code it ""sends"" "
            + @"and lets anyone redirect its webhook: .*Sandbox:AllowRemoteAccess=true if other machines must reach it\.\r?$", output);
    }

    [Fact]
    public async Task A_request_relayed_by_a_proxy_is_refused_with_a_403_problem_unless_remote_access_is_allowed()
    {
        await using var closed = await TestSandbox.StartAsync();
        await using var open = await TestSandbox.StartAsync(o => o.AllowRemoteAccess = true);

        var refused = await ProxiedAsync(closed, "_sandbox/messages?limit=500");
        var refusedApi = await ProxiedAsync(closed, "sandbox/webhook?token=sandbox-token");
        var allowed = await ProxiedAsync(open, "_sandbox/messages?limit=500");
        var direct = await closed.Api.GetAbsoluteAsync(new Uri(closed.Server.BaseUrl, "_sandbox/messages").ToString());

        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Equal("The sandbox answers only on this machine", refused.Json["title"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, refusedApi.Status);
        Assert.Equal(HttpStatusCode.OK, allowed.Status);
        Assert.Equal(HttpStatusCode.OK, direct.Status);
    }

    private static Task<ApiAnswer> ProxiedAsync(TestSandbox sandbox, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(sandbox.Server.BaseUrl, path));
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");
        return sandbox.Api.SendRequestAsync(request);
    }
}
