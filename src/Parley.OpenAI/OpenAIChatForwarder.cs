using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Parley.Core.Resilience;

namespace Parley.OpenAI;

/// <summary>
/// Sends a client's <c>/chat/completions</c> request body to an OpenAI-compatible endpoint as it is and returns the
/// endpoint's JSON answer as it is, with the retries and deadline of the endpoint's chat client: the pass-through path
/// of a gateway. Every field reaches the endpoint (logprobs, n, tools, ones Parley does not know) and comes back
/// (id, system_fingerprint…), and the request is not converted to Microsoft.Extensions.AI types and back, which is most
/// of what relaying a request costs. Streams go through the chat client (the gateway relays them chunk by chunk).
/// </summary>
/// <remarks>
/// Get one from a chat client built by <see cref="OpenAIChatClientFactory.CreatePipeline"/> with
/// <c>client.GetService&lt;OpenAIChatForwarder&gt;()</c>. A 2xx answer that is not a JSON object with <c>choices</c>,
/// an error status, a broken connection and an attempt that times out are failures as the chat client's are: retried
/// when transient, then an <see cref="UpstreamException"/>. With a telemetry source name, each call records the
/// OpenTelemetry GenAI metrics (<c>gen_ai.client.operation.duration</c>, <c>gen_ai.client.token.usage</c>) and a
/// <c>chat {model}</c> span, as Microsoft.Extensions.AI's <c>UseOpenTelemetry</c> does for the chat client.
/// </remarks>
public sealed class OpenAIChatForwarder : IDisposable
{
    private static readonly Uri DefaultBaseUrl = new("https://api.openai.com/v1");

    private static readonly Lazy<HttpClient> SharedHttp = new(() => new HttpClient(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        // Chat completions are small JSON answers, and a gateway does not follow an endpoint's redirects.
        AllowAutoRedirect = false,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    });

    private readonly HttpClient _http;
    private readonly string? _authorization;
    private readonly string? _organization;
    private readonly TimeSpan _attemptTimeout;
    private readonly bool _timesAttempts;
    private readonly RetryPipeline _retry;
    private readonly TimeProvider _clock;
    private readonly Meter? _meter;
    private readonly ActivitySource? _activities;
    private readonly Histogram<double>? _duration;
    private readonly Histogram<int>? _tokens;
    private readonly KeyValuePair<string, object?>[] _tags;
    private readonly string _activityName;

    /// <summary>Creates the forwarder.</summary>
    /// <param name="options">The endpoint; validated here. Its <see cref="OpenAIEndpointOptions.Model"/> names the model in telemetry.</param>
    /// <param name="retry">Retry settings (copied); their classifier and describer are replaced by ones that read HTTP statuses.</param>
    /// <param name="httpClient">The HTTP client to send with; <see langword="null"/> for a shared one. Not disposed here.</param>
    /// <param name="loggerFactory">Creates the retry logger; optional.</param>
    /// <param name="telemetrySourceName">The OpenTelemetry meter and activity source name, or <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentException">An option is missing or out of range.</exception>
    public OpenAIChatForwarder(
        OpenAIEndpointOptions options, RetryOptions? retry = null, HttpClient? httpClient = null, ILoggerFactory? loggerFactory = null, string? telemetrySourceName = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var baseUrl = options.BaseUrl ?? DefaultBaseUrl;
        Endpoint = new Uri(baseUrl.AbsoluteUri.TrimEnd('/') + "/chat/completions", UriKind.Absolute);
        Model = options.Model;
        _activityName = "chat " + Model;
        _http = httpClient ?? SharedHttp.Value;
        _authorization = options.ApiKey is { } key ? "Bearer " + key : null;
        _organization = options.OrganizationId;
        _attemptTimeout = options.AttemptTimeout;
        var settings = (retry ?? new RetryOptions()).Clone();
        // The endpoint's status answers are the forwarder's own exceptions; anything else (the network, a deadline) is
        // classified and described as the caller's options say.
        var (classify, describe) = (settings.Classifier, settings.Describer);
        settings.Classifier = exception => exception is UpstreamStatusException status ? Classify(status) : classify(exception);
        settings.Describer = exception => exception is UpstreamStatusException status ? Describe(status) : describe(exception);
        _clock = settings.TimeProvider;
        // The deadline already bounds an attempt that may not take longer than it: no timer of its own is needed then.
        _timesAttempts = settings.Deadline == Timeout.InfiniteTimeSpan || _attemptTimeout < settings.Deadline;
        _retry = new RetryPipeline(settings, loggerFactory?.CreateLogger<OpenAIChatForwarder>());
        _tags =
        [
            new("gen_ai.operation.name", "chat"),
            new("gen_ai.request.model", Model),
            new("gen_ai.provider.name", "openai"),
            new("server.address", Endpoint.Host),
            new("server.port", Endpoint.Port),
        ];
        if (telemetrySourceName is not null)
        {
            _meter = new Meter(telemetrySourceName);
            _activities = new ActivitySource(telemetrySourceName);
            // The names, units, descriptions and buckets of the GenAI semantic conventions, as the chat client's
            // instruments have them, so the two export as one metric.
            _duration = _meter.CreateHistogram(
                "gen_ai.client.operation.duration", "s", "Measures the duration of a GenAI operation",
                tags: null,
                advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92] });
            _tokens = _meter.CreateHistogram(
                "gen_ai.client.token.usage", "{token}", "Measures number of input and output tokens used",
                tags: null,
                advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864] });
        }
    }

    /// <summary>Where requests go: the endpoint's base URL and <c>/chat/completions</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>The endpoint's model, as configured.</summary>
    public string Model { get; }

    /// <summary>Sends <paramref name="requestBody"/> (a chat completion request, not streamed) and returns the answer.</summary>
    /// <param name="requestBody">The request's JSON as the client sent it; it must stay unchanged until the call returns.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <exception cref="UpstreamException">The endpoint failed and no retry is left (its status and Retry-After included).</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<ForwardedCompletion> CompleteAsync(ReadOnlyMemory<byte> requestBody, CancellationToken cancellationToken = default)
    {
        var started = _clock.GetTimestamp();
        using var activity = _activities?.StartActivity(_activityName, ActivityKind.Client, default(ActivityContext), _tags);
        try
        {
            var completion = await _retry.ExecuteAsync(token => AttemptAsync(requestBody, token), cancellationToken).ConfigureAwait(false);
            Record(completion, started, activity, error: null);
            return completion;
        }
        catch (Exception e)
        {
            Record(null, started, activity, e.GetType().FullName);
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _meter?.Dispose();
        _activities?.Dispose();
    }

    private async ValueTask<ForwardedCompletion> AttemptAsync(ReadOnlyMemory<byte> requestBody, CancellationToken cancellationToken)
    {
        using var attempt = _timesAttempts ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken) : null;
        attempt?.CancelAfter(_attemptTimeout);
        var token = attempt?.Token ?? cancellationToken;
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new ReadOnlyMemoryContent(requestBody) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        request.Headers.TryAddWithoutValidation("Accept", "application/json");
        if (_authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", _authorization);
        }

        if (_organization is not null)
        {
            request.Headers.TryAddWithoutValidation("OpenAI-Organization", _organization);
        }

        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new UpstreamStatusException((int)response.StatusCode, RetryAfter(response, _clock.GetUtcNow()), BodyText(body));
            }

            return ForwardedCompletion.Read(body);
        }
        catch (OperationCanceledException e) when (attempt is { IsCancellationRequested: true } && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"no answer within the attempt timeout of {_attemptTimeout.TotalSeconds:0.#} s"), e);
        }
    }

    private void Record(ForwardedCompletion? completion, long started, Activity? activity, string? error)
    {
        if (_duration is null)
        {
            return;
        }

        var tags = new TagList(_tags);
        if (error is not null)
        {
            tags.Add("error.type", error);
            activity?.SetStatus(ActivityStatusCode.Error).SetTag("error.type", error);
        }
        else if (completion?.Model is { } responseModel)
        {
            tags.Add("gen_ai.response.model", responseModel);
            activity?.SetTag("gen_ai.response.model", responseModel);
        }

        _duration.Record(_clock.GetElapsedTime(started).TotalSeconds, tags);
        if (completion is null)
        {
            return;
        }

        if (completion.InputTokens is { } input)
        {
            var inputTags = tags;
            inputTags.Add("gen_ai.token.type", "input");
            _tokens!.Record(input, inputTags);
            activity?.SetTag("gen_ai.usage.input_tokens", input);
        }

        if (completion.OutputTokens is { } output)
        {
            var outputTags = tags;
            outputTags.Add("gen_ai.token.type", "output");
            _tokens!.Record(output, outputTags);
            activity?.SetTag("gen_ai.usage.output_tokens", output);
        }
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now) =>
        OpenAITransientFailureClassifier.ParseRetryAfter(
            Header(response.Headers, "retry-after-ms"),
            Header(response.Headers, "retry-after"),
            Header(response.Headers, "date"),
            now);

    private static string? Header(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static string? BodyText(byte[] body)
    {
        if (body.Length == 0)
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, UpstreamStatusException.MaxBodyChars * 4));
        return text.Length > UpstreamStatusException.MaxBodyChars ? text[..UpstreamStatusException.MaxBodyChars] : text;
    }

    private static TransientFailure? Classify(UpstreamStatusException status) =>
        TransientFailure.IsTransientStatus((int)status.StatusCode!) ? TransientFailure.ForStatus((int)status.StatusCode!, status.RetryAfter) : null;

    private static UpstreamFailure Describe(UpstreamStatusException status) => UpstreamFailure.ForStatus((int)status.StatusCode!, status.ServerMessage);
}

/// <summary>An endpoint's answer to a forwarded chat completion: its JSON as it came, and what it says about usage.</summary>
/// <param name="Json">The answer's bytes (a JSON object with <c>choices</c>).</param>
/// <param name="Model">Its <c>model</c>, if given.</param>
/// <param name="InputTokens">Its <c>usage.prompt_tokens</c>, if given.</param>
/// <param name="OutputTokens">Its <c>usage.completion_tokens</c>, if given.</param>
public sealed record ForwardedCompletion(ReadOnlyMemory<byte> Json, string? Model, int? InputTokens, int? OutputTokens)
{
    /// <summary>The text of the first choice's message (empty when it has none), read from <see cref="Json"/> when asked.</summary>
    public string ReplyText()
    {
        using var json = JsonDocument.Parse(Json);
        return json.RootElement.GetProperty("choices") is { ValueKind: JsonValueKind.Array } choices
            && choices.GetArrayLength() > 0
            && choices[0].TryGetProperty("message", out var message)
            && message.ValueKind == JsonValueKind.Object
            && message.TryGetProperty("content", out var content)
            && content.ValueKind == JsonValueKind.String
                ? content.GetString() ?? string.Empty
                : string.Empty;
    }

    /// <summary>Reads <paramref name="body"/>, a 2xx answer, in one pass without building a document.</summary>
    /// <exception cref="HttpIOException">It is not a JSON object with a <c>choices</c> array (a cut or foreign answer; transient).</exception>
    internal static ForwardedCompletion Read(byte[] body)
    {
        string? model = null;
        int? input = null, output = null;
        var choices = false;
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw NotACompletion();
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("choices"u8))
                {
                    reader.Read();
                    choices = reader.TokenType == JsonTokenType.StartArray;
                }
                else if (reader.ValueTextEquals("model"u8))
                {
                    reader.Read();
                    model = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
                else if (reader.ValueTextEquals("usage"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        (input, output) = ReadUsage(ref reader);
                        continue;
                    }
                }
                else
                {
                    reader.Read();
                }

                reader.Skip();
            }

            // The rest must be well-formed too: an answer cut short is not an answer.
            while (reader.Read())
            {
            }
        }
        catch (JsonException e)
        {
            throw new HttpIOException(HttpRequestError.InvalidResponse, "The endpoint's answer is not JSON.", e);
        }

        return choices ? new ForwardedCompletion(body, model, input, output) : throw NotACompletion();
    }

    private static HttpIOException NotACompletion() =>
        new(HttpRequestError.InvalidResponse, "The endpoint's answer is not a chat completion (no choices).");

    /// <summary>Reads a <c>usage</c> object, the reader on its start; leaves the reader on its end.</summary>
    private static (int? Input, int? Output) ReadUsage(ref Utf8JsonReader reader)
    {
        int? input = null, output = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isInput = reader.ValueTextEquals("prompt_tokens"u8);
            var isOutput = !isInput && reader.ValueTextEquals("completion_tokens"u8);
            reader.Read();
            if (reader.TokenType == JsonTokenType.Number && (isInput || isOutput) && reader.TryGetInt32(out var count))
            {
                if (isInput)
                {
                    input = count;
                }
                else
                {
                    output = count;
                }
            }
            else
            {
                reader.Skip();
            }
        }

        return (input, output);
    }
}
