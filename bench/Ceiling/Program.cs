// The ceiling: what Kestrel and minimal APIs do on this machine with no work at all behind the endpoint.
// Same hosting defaults as OtpGate (WebApplication.CreateBuilder, reflection-based JSON with web defaults),
// logging at Warning so the console does not count against it.
var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var app = builder.Build();

app.MapGet("/healthz", () => TypedResults.Text("ok"));

// Reads a start-sized JSON body and answers a small object, as a verification endpoint with nothing behind it would.
app.MapPost("/v1/echo", (EchoRequest body) => TypedResults.Ok(new EchoResponse("vf_2b1t0bq6kJ3c7yJmQk0rNg", "pending", body.Phone, 5)));

app.Run();

internal sealed record EchoRequest(string? Phone, string? ClientIp);

internal sealed record EchoResponse(string Id, string Status, string? Phone, int AttemptsLeft);
