using System.Text.Json.Serialization;

namespace OtpGate.Verification.Verifications;

[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class VerificationJson : JsonSerializerContext;
