using System.Net;
using System.Text;

namespace Parley.Bots.Handoff;

/// <summary>
/// Posts a handoff transcript (JSON) to a webhook: failed attempts (a connection error, HTTP 408, 429 or 5xx) are
/// tried again after 0.5 s, 1 s, 2 s… within an overall deadline; other answers are final. Never throws for a failing
/// webhook: the outcome says what happened.
/// </summary>
internal sealed class TranscriptPoster(HttpClient http, TimeProvider time)
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(500);

    public async Task<WebhookOutcome> PostAsync(Uri url, string json, TimeSpan deadline, int attempts, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(deadline, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        int? status = null;
        string? error = null;
        var delay = FirstDelay;
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            try
            {
                using var content = new StringContent(json, Encoding.UTF8, "application/json");
                using var response = await http.PostAsync(url, content, linked.Token).ConfigureAwait(false);
                status = (int)response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    return new WebhookOutcome(true, attempt, status, null);
                }

                error = $"HTTP {status}";
                if (!IsTransient(response.StatusCode))
                {
                    return new WebhookOutcome(false, attempt, status, error);
                }
            }
            catch (HttpRequestException e)
            {
                status = null;
                error = e.Message;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return new WebhookOutcome(false, attempt, status, $"no answer within the deadline of {deadline.TotalSeconds:0.#} s" + (error is null ? "" : $" (before: {error})"));
            }

            if (attempt < attempts)
            {
                try
                {
                    await Task.Delay(delay, time, linked.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    return new WebhookOutcome(false, attempt, status, $"deadline of {deadline.TotalSeconds:0.#} s passed after {error}");
                }

                delay *= 2;
            }
        }

        return new WebhookOutcome(false, attempts, status, $"{error} after {attempts} attempts");
    }

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;
}
