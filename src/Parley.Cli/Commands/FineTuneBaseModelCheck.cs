using System.ClientModel;
using OpenAI;
using OpenAI.Models;

namespace Parley.Cli.Commands;

/// <summary>
/// Checks, before <c>finetune create</c> uploads anything, that the endpoint serves the base model: a misspelt model
/// would otherwise be refused only after the upload.
/// </summary>
internal static class FineTuneBaseModelCheck
{
    /// <summary>Looks <paramref name="model"/> up in the endpoint's <c>GET /models</c>.</summary>
    /// <exception cref="CliException">The endpoint lists its models and <paramref name="model"/> is not one of them (exit 3).</exception>
    /// <remarks>An endpoint whose model list cannot be read is not refused: a warning says the model was not checked.</remarks>
    public static async Task CheckAsync(CliContext context, Uri baseUrl, string? apiKey, TimeSpan timeout, string model, CancellationToken cancellationToken)
    {
        var client = new OpenAIModelClient(new ApiKeyCredential(apiKey ?? "none"), new OpenAIClientOptions { Endpoint = baseUrl, NetworkTimeout = timeout });
        IReadOnlyList<string> served;
        try
        {
            served = [.. (await client.GetModelsAsync(cancellationToken).ConfigureAwait(false)).Value.Select(m => m.Id)];
        }
        catch (Exception e) when (e is ClientResultException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            await context.Error.WriteLineAsync($"warning: could not check the base model {model} ({baseUrl}models: {e.Message.ReplaceLineEndings(" ")}); uploading anyway").ConfigureAwait(false);
            return;
        }

        if (!served.Contains(model, StringComparer.Ordinal))
        {
            var sample = string.Join(", ", served.Where(m => !m.StartsWith("ft:", StringComparison.Ordinal)).Take(8));
            throw new CliException($"--model {model}: {baseUrl} does not serve this model, so nothing was uploaded (it serves: {(sample.Length == 0 ? "no base models" : sample)}; 'GET {baseUrl}models' lists them all)");
        }
    }
}
