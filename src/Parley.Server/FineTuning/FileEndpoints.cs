using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Parley.Server.Errors;
using Parley.Server.Security;

namespace Parley.Server.FineTuning;

/// <summary>Maps OpenAI's <c>/v1/files</c> for fine-tuning files: upload (multipart), list, retrieve, content and delete.</summary>
internal static class FileEndpoints
{
    /// <summary>The only purpose accepted.</summary>
    public const string FineTunePurpose = "fine-tune";

    // Room for the multipart boundaries and the purpose field around the file itself.
    private const long MultipartOverhead = 64 * 1024;

    public static IEndpointRouteBuilder MapFileEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/files", UploadAsync);
        app.MapGet("/files", ListAsync);
        app.MapGet("/files/{id}", GetAsync);
        app.MapGet("/files/{id}/content", ContentAsync);
        app.MapDelete("/files/{id}", DeleteAsync);
        return app;
    }

    private static async Task<Ok<FileObject>> UploadAsync(HttpContext context, FineTuningStore store, ParleyServerOptions options, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var limit = options.MaxFineTuningFileBytes;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit + MultipartOverhead;
        }

        if (request.ContentLength > limit + MultipartOverhead)
        {
            throw TooLarge(limit);
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 } boundary)
        {
            throw new ApiException(400, "Upload the file as multipart/form-data with the fields 'file' and 'purpose'.", "file", "invalid_content_type");
        }

        string? purpose = null, filename = null, upload = null;
        try
        {
            var reader = new MultipartReader(boundary, request.Body);
            while (await reader.ReadNextSectionAsync(cancellationToken).ConfigureAwait(false) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
                {
                    continue;
                }

                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
                if (name == "file" && upload is null)
                {
                    filename = HeaderUtilities.RemoveQuotes(disposition.FileNameStar).Value is { Length: > 0 } star ? star : HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
                    upload = store.NewUploadPath();
                    await CopyAsync(section.Body, upload, limit, cancellationToken).ConfigureAwait(false);
                }
                else if (name == "purpose")
                {
                    using var text = new StreamReader(section.Body);
                    purpose = (await text.ReadToEndAsync(cancellationToken).ConfigureAwait(false)).Trim();
                }
            }

            if (string.IsNullOrEmpty(purpose))
            {
                throw ApiException.Invalid("purpose", $"'purpose' is required: '{FineTunePurpose}'");
            }

            if (purpose != FineTunePurpose)
            {
                throw ApiException.Invalid("purpose", $"The purpose '{purpose}' is not supported here: only '{FineTunePurpose}' files can be uploaded.");
            }

            if (upload is null)
            {
                throw ApiException.Invalid("file", "'file' is required: the JSONL training data");
            }

            filename = string.IsNullOrWhiteSpace(filename) ? "upload.jsonl" : Path.GetFileName(filename);
            await JsonlCheck.CheckAsync(upload, filename, cancellationToken).ConfigureAwait(false);
            var file = await store.AddFileAsync(upload, filename, purpose, ApiCaller.Of(context).Owner, cancellationToken).ConfigureAwait(false);
            upload = null;
            return TypedResults.Ok(file);
        }
        catch (InvalidDataException e)
        {
            throw new ApiException(400, $"The multipart body is malformed: {e.Message}", "file", "invalid_multipart");
        }
        catch (IOException) when (!cancellationToken.IsCancellationRequested)
        {
            if (await IsBodyEndAsync(request.Body, cancellationToken).ConfigureAwait(false))
            {
                throw new ApiException(400, "The multipart body ended before its closing boundary: send the whole form.", "file", "invalid_multipart");
            }

            throw;
        }
        finally
        {
            if (upload is not null)
            {
                File.Delete(upload);
            }
        }
    }

    // The reader fails with an IOException when the body ends inside a section (no closing boundary); by then the
    // whole body has been read. A failure writing the upload (a full disk) leaves body unread and stays a 500.
    private static async Task<bool> IsBodyEndAsync(Stream body, CancellationToken cancellationToken)
    {
        try
        {
            return await body.ReadAsync(new byte[1], cancellationToken).ConfigureAwait(false) == 0;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or NotSupportedException)
        {
            return false;
        }
    }

    private static async Task CopyAsync(Stream source, string path, long limit, CancellationToken cancellationToken)
    {
        var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous);
        await using (target.ConfigureAwait(false))
        {
            var buffer = new byte[64 * 1024];
            long total = 0;
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
                if (total > limit)
                {
                    throw TooLarge(limit);
                }

                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }

            await target.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<Ok<ListObject<FileObject>>> ListAsync(HttpContext context, FineTuningStore store, CancellationToken cancellationToken)
    {
        var query = context.Request.Query;
        var files = await store.ListFilesAsync(ApiCaller.Of(context), cancellationToken).ConfigureAwait(false);
        if (query["purpose"].FirstOrDefault() is { Length: > 0 } purpose)
        {
            files = [.. files.Where(f => f.Purpose == purpose)];
        }

        if (query["order"].FirstOrDefault() is { } order)
        {
            files = order switch
            {
                "asc" => [.. files.Reverse()],
                "desc" => files,
                _ => throw ApiException.Invalid("order", "'order' must be 'asc' or 'desc'"),
            };
        }

        return TypedResults.Ok(Paging.Page(files, f => f.Id, query, defaultLimit: 10_000, maxLimit: 10_000));
    }

    private static async Task<Ok<FileObject>> GetAsync(string id, HttpContext context, FineTuningStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.GetFileAsync(id, ApiCaller.Of(context), cancellationToken).ConfigureAwait(false) ?? throw NotFound(id));

    private static async Task<IResult> ContentAsync(string id, HttpContext context, FineTuningStore store, CancellationToken cancellationToken)
    {
        _ = await store.GetFileAsync(id, ApiCaller.Of(context), cancellationToken).ConfigureAwait(false) ?? throw NotFound(id);
        return TypedResults.PhysicalFile(store.ContentPath(id), "application/octet-stream");
    }

    private static async Task<Ok<DeletedObject>> DeleteAsync(string id, HttpContext context, FineTuningStore store, CancellationToken cancellationToken) =>
        await store.DeleteFileAsync(id, ApiCaller.Of(context), cancellationToken).ConfigureAwait(false) ? TypedResults.Ok(new DeletedObject(id, "file")) : throw NotFound(id);

    private static ApiException NotFound(string id) => new(404, $"No such file: '{id}'.", "id", "file_not_found");

    private static ApiException TooLarge(long limit) =>
        new(413, $"The file is larger than the server's limit of {limit} bytes for fine-tuning files.", "file", "file_too_large");
}
