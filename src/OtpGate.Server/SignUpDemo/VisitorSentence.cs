using OtpGate.Verification.Verifications;

namespace OtpGate.Server.SignUpDemo;

/// <summary>What the sign-up pages say for a refusal: the engine's sentence, except where it is for the operator only.</summary>
internal static class VisitorSentence
{
    /// <summary>Said instead of a spend cap's sentence, which names the operator's budget.</summary>
    public const string CannotSendNow = "Codes cannot be sent right now; try again later.";

    // The visitor must not learn the operator's budget or how much of it is left, only that no code can go now.
    public static string Of(Refused refusal) => refusal.Reason == Refusal.SpendCapReached ? CannotSendNow : refusal.Message;
}
