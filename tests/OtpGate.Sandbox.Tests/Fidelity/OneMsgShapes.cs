namespace OtpGate.Sandbox.Tests.Fidelity;

/// <summary>
/// 1MSG's answers as its own published material describes them, kept here so the sandbox is checked against them
/// (see <see cref="ContractShape"/> for the notation). Each says where it comes from.
/// </summary>
public static class OneMsgShapes
{
    /// <summary>1MSG's published API contract, <c>GetWebhook200Response</c>: <c>webhookUrl</c> is a string (its typed SDK models read nothing else).</summary>
    public const string GetWebhook = """{"webhookUrl":"string"}""";

    /// <summary>
    /// Production channels with several webhooks, as two third-party integrations recorded them: <c>webhookUrl</c> an
    /// array of strings (one of them 1MSG's own inbox hook).
    /// </summary>
    public const string GetWebhookSeveral = """{"webhookUrl":["string"]}""";

    /// <summary>1MSG's legacy API contract, <c>SetWebhookStatus</c> (the answer to <c>POST webhook</c>).</summary>
    public const string SetWebhookStatus = """{"set":"boolean","message":"string"}""";

    /// <summary>1MSG's legacy API contract, <c>Settings</c> (<c>GET settings</c>): <c>webhookUrl</c> a nullable string.</summary>
    public const string Settings = """{"webhookUrl":"string?"}""";

    /// <summary>
    /// 1MSG's legacy API contract, the <c>UpdateSettings</c> answer to <c>POST settings</c>: the settings plus the
    /// required <c>update</c>, "an object that lists the fields changed in the request".
    /// </summary>
    public const string UpdateSettings = """{"webhookUrl":"string?","update":"object"}""";

    /// <summary>1MSG's legacy API contract, <c>SendMessageStatus</c>; the current SDKs' <c>MessageSentResponse</c> has the same four keys.</summary>
    public const string SendMessageStatus = """{"sent":"boolean","id":"string","message":"string","description":"string"}""";

    /// <summary>1MSG's n8n node's tests: the answer to a sendTemplate without template name, language or namespace.</summary>
    public const string TemplateIsNotDefined = """{"message":"template is not defined"}""";

    /// <summary>1MSG's published API contract, <c>ProfileInfo</c> (<c>GET me</c>).</summary>
    public const string ProfileInfo = """
        {"about":"string","address":"string","description":"string","email":"string","phone":"string",
         "vertical":"string","photo":"string","websites":["string"]}
        """;

    /// <summary>1MSG's legacy API contract, <c>SetMe</c> (a successful <c>POST me</c>).</summary>
    public const string SetMe = """{"result":"string"}""";

    /// <summary>1MSG's published API contract, <c>ErrorResponse</c>: what 401 and 5xx (and here <c>POST me</c>'s 422) carry.</summary>
    public const string ErrorResponse = """{"error":"string"}""";

    /// <summary>1MSG's legacy API contract, <c>GetMessages</c> (<c>GET messages</c>), key for key.</summary>
    public const string GetMessages = """
        {"messages":[{"messageNumber":"integer","id":"string","body":"string","fromMe":"boolean","self":"integer",
          "isForwarded":"integer","author":"string","time":"integer","chatId":"string","type":"string","senderName":"string",
          "caption":"string?","quotedMsgId":"string?","metadata":"object","chatName":"string"}]}
        """;

    /// <summary>1MSG's legacy contract (<c>channelStatus</c>) plus the two keys 1MSG's CLI prints from <c>GET status</c>.</summary>
    public const string Status = """{"status":"string","accountStatus":"string","mm_lite_available":"boolean"}""";

    /// <summary>1MSG's legacy API contract, <c>GetTemplates</c>.</summary>
    public const string GetTemplates = """
        {"total":"integer","templates":[{"name":"string","namespace":"string","language":"string","category":"string",
          "status":"string","rejected_reason":"string","components":"array"}]}
        """;

    /// <summary>1MSG's legacy API contract, <c>GetAckInfo</c> (<c>GET hookInfo</c>): Meta status objects.</summary>
    public const string GetAckInfo = """{"hooks":[{"id":"string","status":"string","timestamp":"string","recipient_id":"string"}]}""";
}
