using System;
using System.Text;

namespace FlyIo.Images;

/// <summary>Basic-auth credentials for one registry. <see cref="ToString"/> never shows the password.</summary>
public sealed class RegistryCredentials
{
    public RegistryCredentials(string registry, string username, string password)
    {
        Registry = registry ?? throw new ArgumentNullException(nameof(registry));
        Username = username ?? throw new ArgumentNullException(nameof(username));
        Password = password ?? throw new ArgumentNullException(nameof(password));
    }

    public string Registry { get; }

    public string Username { get; }

    public string Password { get; }

    /// <summary>
    /// Fly's registry: user <c>x</c>, password = the API token without a <c>FlyV1 </c> prefix (macaroon tokens carry it
    /// for the API's Authorization header only).
    /// </summary>
    public static RegistryCredentials ForFly(string token, string registry = ImageTags.FlyRegistry)
    {
        if (token is null)
        {
            throw new ArgumentNullException(nameof(token));
        }

        var t = token.Trim();
        if (t.StartsWith("FlyV1 ", StringComparison.Ordinal))
        {
            t = t.Substring("FlyV1 ".Length).Trim();
        }

        return new RegistryCredentials(registry, "x", t);
    }

    /// <summary>base64(user:password), the "auth" value of Docker's and containers' auth.json.</summary>
    internal string AuthValue => Convert.ToBase64String(Encoding.UTF8.GetBytes(Username + ":" + Password));

    public override string ToString() => Username + "@" + Registry;
}
