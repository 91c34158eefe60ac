using Microsoft.Extensions.Logging.Abstractions;
using OtpGate.Verification.Codes;

namespace OtpGate.Verification.Tests.Codes;

public sealed class CodeProtectionTests
{
    private const string OldSecret = "old-secret-0123456789-abcdefghijklmnopqrstu";
    private const string NewSecret = "new-secret-0123456789-abcdefghijklmnopqrstu";

    [Fact]
    public void Codes_have_the_requested_length_of_digits_with_leading_zeros_kept()
    {
        var codes = Enumerable.Range(0, 20_000).Select(_ => CodeProtector.Generate(6)).ToList();

        Assert.All(codes, c => Assert.Matches("^[0-9]{6}$", c));
        var leadingZero = codes.Count(c => c[0] == '0') / (double)codes.Count;
        Assert.InRange(leadingZero, 0.08, 0.12);
        Assert.Matches("^[0-9]{10}$", CodeProtector.Generate(10));
    }

    [Fact]
    public void A_code_protected_under_a_previous_secret_still_verifies_after_rotation()
    {
        var before = new CodeProtector(new SecretRing(OldSecret));
        var stored = before.Protect("vf_1", "123456");

        var after = new CodeProtector(new SecretRing(NewSecret, [OldSecret]));
        var forgotten = new CodeProtector(new SecretRing(NewSecret));

        Assert.True(after.Matches("vf_1", "123456", stored.KeyId, stored.Mac));
        Assert.Equal("123456", after.Unprotect("vf_1", stored.KeyId, stored.Cipher));
        Assert.False(forgotten.Matches("vf_1", "123456", stored.KeyId, stored.Mac));
        Assert.NotEqual(stored.KeyId, after.Protect("vf_1", "123456").KeyId);
    }

    [Fact]
    public void The_mac_binds_the_code_to_its_verification_and_the_cipher_cannot_be_moved()
    {
        var protector = new CodeProtector(new SecretRing(NewSecret));
        var stored = protector.Protect("vf_1", "123456");

        Assert.False(protector.Matches("vf_2", "123456", stored.KeyId, stored.Mac));
        Assert.False(protector.Matches("vf_1", "123457", stored.KeyId, stored.Mac));
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => protector.Unprotect("vf_2", stored.KeyId, stored.Cipher));
        Assert.Equal(32, stored.Mac.Length);
        Assert.DoesNotContain("123456", System.Text.Encoding.Latin1.GetString(stored.Cipher), StringComparison.Ordinal);
    }

    [Fact]
    public void A_short_secret_is_refused_with_how_to_make_a_good_one()
    {
        var error = Assert.Throws<ArgumentException>(() => new SecretRing("too-short"));

        Assert.Contains("at least 32 characters", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("too-short", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_configured_secret_one_is_generated_once_readable_by_the_owner_only()
    {
        var folder = Path.Combine(Path.GetTempPath(), "otpgate-secret-" + Environment.ProcessId + "-" + Environment.TickCount64);
        try
        {
            var first = ServerSecret.Load(new SecurityOptions(), folder, NullLogger.Instance);
            var second = ServerSecret.Load(new SecurityOptions(), folder, NullLogger.Instance);
            var path = Path.Combine(folder, ServerSecret.FileName);

            Assert.Equal(first.Current.Id, second.Current.Id);
            Assert.True(File.ReadAllText(path).Length >= 32);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
