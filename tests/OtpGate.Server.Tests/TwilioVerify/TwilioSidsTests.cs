using OtpGate.Server.TwilioVerify;

namespace OtpGate.Server.Tests.TwilioVerify;

/// <summary>Verification ids and their <c>VE…</c> sids name each other with nothing stored; attempt sids are stable.</summary>
public sealed class TwilioSidsTests
{
    [Theory]
    [InlineData("vf_AAAAAAAAAAAAAAAAAAAAAA", "VE00000000000000000000000000000000")]
    [InlineData("vf______________________w", "VEffffffffffffffffffffffffffffffff")]
    [InlineData("vf_g4lknNhlABABIgovQrlMLA", "VE8389649cd865001001220a2f42b94c2c")]
    public void A_verification_id_and_its_sid_map_onto_each_other(string id, string sid)
    {
        Assert.Equal(sid, TwilioSids.Verification(id));
        Assert.Equal(id, TwilioSids.VerificationId(sid));
        Assert.Equal(id, TwilioSids.VerificationId(sid.ToUpperInvariant()));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("VE0000")]
    [InlineData("VA00000000000000000000000000000000")]
    [InlineData("VE0000000000000000000000000000000g")]
    [InlineData("vf_AAAAAAAAAAAAAAAAAAAAAA")]
    public void Anything_else_is_no_verification(string? sid) => Assert.Null(TwilioSids.VerificationId(sid));

    [Fact]
    public void An_attempt_sid_is_the_same_at_every_read_and_differs_per_send()
    {
        var first = TwilioSids.Attempt("vf_AAAAAAAAAAAAAAAAAAAAAA", 1);

        Assert.Matches("^VL[0-9a-f]{32}$", first);
        Assert.Equal(first, TwilioSids.Attempt("vf_AAAAAAAAAAAAAAAAAAAAAA", 1));
        Assert.NotEqual(first, TwilioSids.Attempt("vf_AAAAAAAAAAAAAAAAAAAAAA", 2));
        Assert.NotEqual(first, TwilioSids.Attempt("vf_AAAAAAAAAAAAAAAAAAAAAB", 1));
    }
}
