using System.Text.Encodings.Web;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace AnalyticsService.Api;

/// <summary>
/// One failure of the API, as both transports show it: a gRPC status (with the REST errorType as an
/// ErrorInfo reason) and Rocket.Chat's REST body. Every error the service answers is built here.
/// </summary>
public sealed record ApiError(Grpc.Core.StatusCode Code, string Message, string? ErrorType = null, bool LoginShape = false)
{
    /// <summary>Domain of the google.rpc.ErrorInfo attached to gRPC errors.</summary>
    public const string ErrorDomain = "rocket.chat";

    public static ApiError NotLoggedIn { get; } =
        new(Grpc.Core.StatusCode.Unauthenticated, "You must be logged in to do this.", LoginShape: true);

    public static ApiError NotPermitted { get; } =
        new(Grpc.Core.StatusCode.PermissionDenied, "User does not have the permissions required for this action [error-unauthorized]");

    public static ApiError StoreUnavailable { get; } =
        new(Grpc.Core.StatusCode.Unavailable, "The analytics store is unavailable. Try again later.");

    public static ApiError Internal { get; } =
        new(Grpc.Core.StatusCode.Internal, "Internal server error.");

    /// <summary>A query-schema failure: AJV's message with Rocket.Chat's suffix.</summary>
    public static ApiError InvalidParams(string ajvMessage) =>
        new(Grpc.Core.StatusCode.InvalidArgument, $"{ajvMessage} [invalid-params]", "invalid-params");

    /// <summary>
    /// The sort parameter is not a JSON object of 1s and -1s: Rocket.Chat's parseJsonQuery error, with the raw value,
    /// its errorType and details.
    /// </summary>
    public static ApiError InvalidSort(string raw) =>
        new(Grpc.Core.StatusCode.InvalidArgument, $"Invalid sort parameter provided: \"{raw}\" [error-invalid-sort]", "error-invalid-sort")
        {
            HelperMethod = "parseJsonQuery",
        };

    /// <summary>details.helperMethod of Rocket.Chat's body (over gRPC, the ErrorInfo's metadata "helperMethod").</summary>
    public string? HelperMethod { get; init; }

    /// <summary>A failure the endpoint itself reports (API.v1.failure): no errorType.</summary>
    public static ApiError Failure(string message) => new(Grpc.Core.StatusCode.InvalidArgument, message);

    public static ApiError TooManyRequests(int secondsLeft) =>
        new(Grpc.Core.StatusCode.ResourceExhausted,
            $"Error, too many requests. Please slow down. You must wait {secondsLeft} seconds before trying this endpoint again. [error-too-many-requests]");

    public int HttpStatus => Code switch
    {
        Grpc.Core.StatusCode.Unauthenticated => StatusCodes.Status401Unauthorized,
        Grpc.Core.StatusCode.PermissionDenied => StatusCodes.Status403Forbidden,
        Grpc.Core.StatusCode.ResourceExhausted => StatusCodes.Status429TooManyRequests,
        Grpc.Core.StatusCode.InvalidArgument => StatusCodes.Status400BadRequest,
        Grpc.Core.StatusCode.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    public ApiException ToException() => new(this);

    /// <summary>Rocket.Chat's body, serialized as JSON.stringify would (quotes as \", non-ASCII as is).</summary>
    public byte[] ToRestBody()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            if (LoginShape)
            {
                json.WriteString("status", "error");
                json.WriteString("message", Message);
            }
            else
            {
                json.WriteBoolean("success", false);
                json.WriteString("error", Message);
                if (ErrorType is not null)
                    json.WriteString("errorType", ErrorType);
                if (HelperMethod is not null)
                {
                    json.WriteStartObject("details");
                    json.WriteString("helperMethod", HelperMethod);
                    json.WriteEndObject();
                }
            }
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    internal Google.Rpc.Status ToRpcStatus()
    {
        var status = new Google.Rpc.Status { Code = (int)Code, Message = Message };
        if (ErrorType is not null)
        {
            var info = new ErrorInfo { Reason = ErrorType, Domain = ErrorDomain };
            if (HelperMethod is not null)
                info.Metadata.Add("helperMethod", HelperMethod);
            status.Details.Add(Any.Pack(info));
        }
        return status;
    }
}

/// <summary>Carries an <see cref="ApiError"/> through the gRPC pipeline; grpc-status-details-bin holds its ErrorInfo.</summary>
public sealed class ApiException(ApiError error) : RpcException(
    new Grpc.Core.Status(error.Code, error.Message),
    TrailersFor(error),
    error.Message)
{
    public ApiError Error { get; } = error;

    private static Metadata TrailersFor(ApiError error) =>
        new() { { "grpc-status-details-bin", error.ToRpcStatus().ToByteArray() } };
}
