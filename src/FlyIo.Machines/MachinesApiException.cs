using System;

namespace FlyIo.Machines;

/// <summary>A Machines API call that failed: the HTTP status, Fly's error message and the fly-request-id to quote.</summary>
public sealed class MachinesApiException : Exception
{
    public MachinesApiException(string operation, int statusCode, string? apiMessage, string? requestId, Exception? inner = null)
        : base(Describe(operation, statusCode, apiMessage, requestId), inner)
    {
        Operation = operation;
        StatusCode = statusCode;
        ApiMessage = apiMessage;
        RequestId = requestId;
    }

    public string Operation { get; }

    /// <summary>The HTTP status, or 0 when no response came (connection refused, reset, timeout).</summary>
    public int StatusCode { get; }

    public string? ApiMessage { get; }

    public string? RequestId { get; }

    private static string Describe(string operation, int status, string? message, string? requestId)
    {
        var what = status == 0 ? "got no response" : $"returned {status}";
        var detail = string.IsNullOrWhiteSpace(message) ? "" : $": {message}";
        var id = string.IsNullOrWhiteSpace(requestId) ? "" : $" (fly-request-id {requestId})";
        return $"The Machines API {what} for {operation}{detail}{id}.";
    }
}
