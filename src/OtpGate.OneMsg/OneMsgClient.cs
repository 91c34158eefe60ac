using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OtpGate.OneMsg.Http;
using OtpGate.OneMsg.Json;

namespace OtpGate.OneMsg;

/// <summary>
/// The typed client for the 1MSG WhatsApp Business API: sends templates (authentication codes first of all),
/// reads templates, manages webhooks and settings, and polls delivery statuses. Register it with
/// <see cref="OneMsgServiceCollectionExtensions.AddOneMsgClient(IServiceCollection, Action{OneMsgOptions})"/>,
/// which adds the per-attempt timeout and the retries; a client built by hand over a plain
/// <see cref="HttpClient"/> has neither.
/// </summary>
/// <remarks>
/// Sends never throw for a failed send: the outcome is a <see cref="Sending.SendResult"/>. Every other call
/// throws <see cref="OneMsgException"/> when 1MSG refuses it or cannot be reached. Invalid arguments throw
/// <see cref="ArgumentException"/> before any I/O. The token travels only in the <c>Authorization</c> header.
/// </remarks>
public sealed partial class OneMsgClient
{
    private readonly HttpClient _http;
    private readonly OneMsgOptions _options;
    private readonly ILogger<OneMsgClient> _logger;
    private readonly TimeProvider _time;
    private readonly string _root;
    private readonly string _token;

    /// <summary>Creates a client over <paramref name="http"/>; the system clock reads <c>Retry-After</c> dates.</summary>
    public OneMsgClient(HttpClient http, IOptions<OneMsgOptions> options, ILogger<OneMsgClient> logger)
        : this(http, options, logger, TimeProvider.System)
    {
    }

    /// <summary>Creates a client over <paramref name="http"/>, reading time from <paramref name="timeProvider"/>.</summary>
    /// <exception cref="OptionsValidationException">The options are incomplete or out of range.</exception>
    [ActivatorUtilitiesConstructor]
    public OneMsgClient(HttpClient http, IOptions<OneMsgOptions> options, ILogger<OneMsgClient> logger, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _http = http;
        _options = options.Value;

        // DI validates at start-up; a client built by hand gets the same sentences instead of a UriFormatException later.
        if (new OneMsgOptionsValidator().Validate(null, _options) is { Failed: true } invalid)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(OneMsgOptions), invalid.Failures);
        }

        _logger = logger;
        _time = timeProvider;
        _root = ChannelRoot(_options);
        _token = NormaliseToken(_options.Token);
    }

    /// <summary><c>{BaseUrl}/{ChannelId}/</c>: the base may carry a path (<c>http://host/sandbox</c>); the channel id is escaped.</summary>
    internal static string ChannelRoot(OneMsgOptions options) =>
        options.BaseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/" + Uri.EscapeDataString(options.ChannelId.Trim()) + "/";

    /// <summary>People paste "Bearer eyJ…" from dashboards; the header adds the scheme itself.</summary>
    internal static string NormaliseToken(string? token)
    {
        var text = (token ?? "").Trim();
        foreach (var scheme in (ReadOnlySpan<string>)["Bearer", "Basic"])
        {
            if (text.Equals(scheme, StringComparison.OrdinalIgnoreCase))
            {
                return "";
            }

            if (text.StartsWith(scheme + " ", StringComparison.OrdinalIgnoreCase))
            {
                return text[scheme.Length..].Trim();
            }
        }

        return text;
    }

    private async Task<Answer> ExchangeAsync(HttpMethod verb, string method, string? query, byte[]? json, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(verb, new Uri(_root + method + (query is null ? "" : "?" + query)));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (json is not null)
        {
            request.Content = new ByteArrayContent(json);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }

        using var response = await _http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return new Answer((int)response.StatusCode, body, TransportFailure.RetryAfter(response.Headers, _time.GetUtcNow()));
    }

    /// <summary>
    /// A call other than a send: returns the parsed JSON answer (null when a 2xx had no JSON and
    /// <paramref name="requireJson"/> is false), or throws <see cref="OneMsgException"/>.
    /// </summary>
    private async Task<JsonDocument?> CallAsync(HttpMethod verb, string method, string? query, byte[]? json, bool requireJson, CancellationToken cancellationToken)
    {
        var operation = $"{verb.Method} {method}";
        Answer answer;
        try
        {
            answer = await ExchangeAsync(verb, method, query, json, cancellationToken);
        }
        catch (Exception e) when (TransportFailure.IsTransportFailure(e, cancellationToken))
        {
            var message = TransportFailure.IsTimeout(e, cancellationToken)
                ? $"1MSG did not answer {operation} within {_options.AttemptTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s."
                : $"Could not complete {operation} with 1MSG at {_options.BaseUrl.Authority}: {e.Message}";
            throw Logged(new OneMsgException(message, operation, null, null, isTransient: true, e));
        }

        var body = Redactor.RedactAndTruncate(answer.Body, OneMsgException.MaxResponseBodyLength, _token);
        if (answer.Status is < 200 or >= 300)
        {
            var status = (HttpStatusCode)answer.Status;
            var said = ResponseText.ErrorMessage(answer.Body) is { } text ? ": " + Redactor.Redact(text, _token) : "";
            var hint = answer.Status switch
            {
                401 or 403 => " Check OneMsg:Token and OneMsg:ChannelId.",
                404 => " Check OneMsg:BaseUrl and OneMsg:ChannelId.",
                _ => "",
            };
            throw Logged(new OneMsgException($"1MSG answered {operation} with HTTP {answer.Status}{said}.{hint}",
                operation, status, body, OneMsgException.IsTransientStatus(status)));
        }

        var document = ResponseText.TryParse(answer.Body);
        if (document is null && requireJson)
        {
            throw Logged(new OneMsgException($"1MSG answered {operation} with HTTP {answer.Status}, but the body is not JSON.",
                operation, (HttpStatusCode)answer.Status, body, isTransient: false));
        }

        return document;
    }

    private OneMsgException Logged(OneMsgException exception)
    {
        OneMsgLog.CallFailed(_logger, exception.Operation ?? "", (int?)exception.StatusCode, exception.IsTransient,
            Redactor.ForLog(exception.Message, _token) ?? "");
        return exception;
    }

    private static OneMsgException Unreadable(string operation, string what) =>
        new($"1MSG answered {operation} without {what}.", operation, HttpStatusCode.OK, null, isTransient: false);

    private readonly record struct Answer(int Status, string Body, TimeSpan? RetryAfter);
}
