namespace LifelineRealtime.Host.Access;

/// <summary>
/// <c>Lifeline:Auth</c> (design §8): who signs people in. One of: an OIDC <see cref="Authority"/> with its
/// <see cref="Audience"/> (metadata discovery and key rollover), a symmetric <see cref="SigningKey"/> with
/// <see cref="Issuer"/> and <see cref="Audience"/> (tests and air-gapped installs), or <see cref="Mode"/>
/// <c>Open</c>. With none of them the Development host signs people in through a one-time local link; any
/// other environment refuses to start. With an <see cref="Authority"/>, a <see cref="ClientId"/> also signs
/// browsers in there (<see cref="BrowserSignIn"/>, docs/sign-in.md).
/// </summary>
public sealed class AuthOptions
{
    public const string SectionName = "Lifeline:Auth";

    /// <summary>The only value: <c>Open</c>, every read served without sign-in (a closed network's choice, made explicitly).</summary>
    public string? Mode { get; set; }

    /// <summary>The OIDC provider's issuer URL (its <c>/.well-known/openid-configuration</c> is read).</summary>
    public string? Authority { get; set; }

    /// <summary>The <c>aud</c> a token must carry.</summary>
    public string? Audience { get; set; }

    /// <summary>With <see cref="SigningKey"/>: the <c>iss</c> a token must carry.</summary>
    public string? Issuer { get; set; }

    /// <summary>Base64 of an HS256 key of at least 32 bytes. A secret: from the environment or a secret store, never a committed file.</summary>
    public string? SigningKey { get; set; }

    /// <summary>With <see cref="Authority"/>: the client id registered for this host, which turns on browser sign-in (OIDC code flow with PKCE).</summary>
    public string? ClientId { get; set; }

    /// <summary>With <see cref="ClientId"/>, for a confidential client. A secret: from the environment or a secret store, never a committed file.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>How far a token's times may be off this host's clock.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The claim holding roles (Entra ID app roles arrive as <c>roles</c>).</summary>
    public string RolesClaim { get; set; } = "roles";

    /// <summary>The claim holding the platform ids granted (<c>ciss</c>, <c>digi</c>).</summary>
    public string PlatformsClaim { get; set; } = "platforms";

    /// <summary>The claim holding a team leader's team names.</summary>
    public string TeamsClaim { get; set; } = "teams";

    public const string OpenMode = "Open";

    /// <summary>What the shipped manifests put where a real value must go.</summary>
    public const string PlaceholderMark = "REPLACE_WITH_";

    public bool IsOpen => string.Equals(Mode, OpenMode, StringComparison.OrdinalIgnoreCase);

    public bool HasAuthority => !string.IsNullOrWhiteSpace(Authority);

    public bool HasSigningKey => !string.IsNullOrWhiteSpace(SigningKey);

    /// <summary>Browsers sign in at the <see cref="Authority"/> (OIDC code flow with PKCE) into the cookie session.</summary>
    public bool HasBrowserSignIn => HasAuthority && !string.IsNullOrWhiteSpace(ClientId);

    /// <summary>Neither an identity provider nor a key nor <c>Open</c>: the Development demo's local sign-in.</summary>
    public bool IsUnconfigured => !IsOpen && !HasAuthority && !HasSigningKey;

    /// <summary>Every failure, each naming its key.</summary>
    public IReadOnlyList<string> Validate()
    {
        const string S = SectionName;
        var failures = new List<string>();
        if (Mode is { Length: > 0 } && !IsOpen)
        {
            failures.Add($"{S}:Mode must be '{OpenMode}' or unset (got '{Mode}').");
        }

        if (IsOpen && (HasAuthority || HasSigningKey))
        {
            failures.Add($"{S}:Mode is '{OpenMode}' but {S}:{(HasAuthority ? "Authority" : "SigningKey")} is set: choose one.");
        }

        if (HasAuthority && HasSigningKey)
        {
            failures.Add($"{S}:Authority and {S}:SigningKey are both set: choose one.");
        }

        if (HasAuthority)
        {
            if (!Uri.TryCreate(Authority, UriKind.Absolute, out var authority) || !(authority.Scheme == Uri.UriSchemeHttps || (authority.Scheme == Uri.UriSchemeHttp && authority.IsLoopback)))
            {
                failures.Add($"{S}:Authority must be an absolute https URL (http only on loopback), got '{Authority}'.");
            }

            if (string.IsNullOrWhiteSpace(Audience))
            {
                failures.Add($"{S}:Audience is required with {S}:Authority.");
            }
        }

        if (!string.IsNullOrWhiteSpace(ClientId) && !HasAuthority)
        {
            failures.Add($"{S}:ClientId is set but {S}:Authority is not: browser sign-in needs the OIDC provider.");
        }

        if (!string.IsNullOrWhiteSpace(ClientSecret) && string.IsNullOrWhiteSpace(ClientId))
        {
            failures.Add($"{S}:ClientSecret is set but {S}:ClientId is not.");
        }

        if (HasSigningKey)
        {
            if (KeyBytes() is not { Length: >= 32 })
            {
                failures.Add($"{S}:SigningKey must be base64 of at least 32 bytes (an HS256 key).");
            }

            if (string.IsNullOrWhiteSpace(Issuer))
            {
                failures.Add($"{S}:Issuer is required with {S}:SigningKey.");
            }

            if (string.IsNullOrWhiteSpace(Audience))
            {
                failures.Add($"{S}:Audience is required with {S}:SigningKey.");
            }
        }

        foreach (var (name, value) in new[] { ("Authority", Authority), ("Audience", Audience), ("Issuer", Issuer) })
        {
            if (value is not null && value.Contains(PlaceholderMark, StringComparison.Ordinal))
            {
                failures.Add($"{S}:{name} still holds a placeholder ({value}): set the real value.");
            }
        }

        if (ClockSkew < TimeSpan.Zero || ClockSkew > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{S}:ClockSkew must be between 00:00:00 and 00:05:00 (got {ClockSkew}).");
        }

        foreach (var (name, value) in new[] { ("RolesClaim", RolesClaim), ("PlatformsClaim", PlatformsClaim), ("TeamsClaim", TeamsClaim) })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                failures.Add($"{S}:{name} must name a claim.");
            }
        }

        return failures;
    }

    /// <summary>The decoded <see cref="SigningKey"/>, or null when it is not base64.</summary>
    public byte[]? KeyBytes()
    {
        try
        {
            return HasSigningKey ? Convert.FromBase64String(SigningKey!.Trim()) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
