using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Domain.TaskRouter;
using LifelineRealtime.Host.Access;
using LifelineRealtime.Host.Access.Flex;
using LifelineRealtime.Host.Tests.Support;

namespace LifelineRealtime.Host.Tests.Access.Flex;

public sealed class FlexClaimsTests
{
    private static readonly DateTimeOffset Expiration = DateTimeOffset.Parse("2026-12-07T10:22:44.240Z", System.Globalization.CultureInfo.InvariantCulture);

    internal static PlatformSettings Platform(string id = "digi", string teamAttribute = "team_name") => PlatformSettings.Create(new PlatformOptions
    {
        Id = id,
        Name = "DIGI Central",
        Channel = "chat",
        AccountSid = TestPlatforms.DigiAccount,
        WorkspaceSid = TestPlatforms.DigiWorkspace,
        AuthToken = TestPlatforms.DigiToken,
        SupportTypes = ["support"],
        ServiceLevelSeconds = new() { ["default"] = 60 },
        TeamAttribute = teamAttribute,
    });

    private static FlexTokenValidation Token(params string[] roles) => new()
    {
        Valid = true,
        Expiration = Expiration,
        RealmUserId = "morgan.lee@lifeline.example.org",
        Identity = "morgan_2Elee_40lifeline_2Eexample_2Eorg",
        Roles = roles,
        WorkerSid = "WK0000000000000000000000000000f101",
    };

    [Fact]
    public void RolesFromToken_FlexAdminAndWfoRoles_AdminBecomesLifelineAdminAndWfoRolesAreKept()
    {
        Assert.Equal(
            [Roles.Admin, Roles.TeamLeader, "wfo.quality_manager"],
            FlexClaims.RolesFromToken(["agent", "admin", "supervisor", "wfo.team_leader", "wfo.quality_manager", "wfo.team_leader"]));
    }

    [Theory]
    [InlineData("agent")]
    [InlineData("supervisor")]
    [InlineData("Admin")]
    [InlineData("wfo.")]
    [InlineData("lifeline.admin")]
    public void RolesFromToken_NoFlexAdminNorWfoRole_GivesNoRole(string role)
    {
        Assert.Empty(FlexClaims.RolesFromToken([role]));
    }

    [Theory]
    [InlineData("""{"roles":["admin","supervisor","wfo.team_leader"]}""")]
    [InlineData("""{"roles":"supervisor, wfo.team_leader,admin"}""")]
    public void RolesFromWorker_ArrayOrCommaList_KeepsOnlyWfoRoles(string attributes)
    {
        Assert.Equal([Roles.TeamLeader], FlexClaims.RolesFromWorker(TaskRouterAttributes.Parse(attributes)));
    }

    [Fact]
    public void SignIn_TokenWithoutWfoRoles_TakesTheWorkersRolesAndTeam()
    {
        var worker = TaskRouterAttributes.Parse("""{"roles":["supervisor","wfo.team_leader"],"team_name":"Night Team"}""");

        var signIn = FlexClaims.SignIn(Token("supervisor"), Platform(), worker, Expiration);

        Assert.Equal(
            ("morgan.lee@lifeline.example.org", "morgan_2Elee_40lifeline_2Eexample_2Eorg", "digi", Expiration),
            (signIn.Name, signIn.Subject, signIn.PlatformId, signIn.Expiration));
        Assert.Equal([Roles.TeamLeader], signIn.Roles);
        Assert.Equal(["Night Team"], signIn.Teams);
    }

    [Fact]
    public void SignIn_TokenWithRoles_KeepsThemAndStillTakesTheWorkersTeam()
    {
        var worker = TaskRouterAttributes.Parse("""{"roles":["wfo.full_access"],"org":{"team":"Day Team"}}""");

        var signIn = FlexClaims.SignIn(Token("agent", "wfo.team_leader"), Platform(teamAttribute: "org.team"), worker, Expiration);

        Assert.Equal([Roles.TeamLeader], signIn.Roles);
        Assert.Equal(["Day Team"], signIn.Teams);
    }

    [Theory]
    [InlineData("""{"roles":["wfo.team_leader"]}""")]
    [InlineData("""{"roles":["wfo.team_leader"],"team_name":"  "}""")]
    [InlineData(null)]
    public void SignIn_WorkerWithoutTeam_HasNoTeam(string? attributes)
    {
        var worker = attributes is null ? null : TaskRouterAttributes.Parse(attributes);

        var signIn = FlexClaims.SignIn(Token("wfo.team_leader"), Platform(), worker, Expiration);

        Assert.Empty(signIn.Teams);
        Assert.Equal([Roles.TeamLeader], signIn.Roles);
    }

    [Fact]
    public void SignIn_NoRealmUserId_IsNamedByIdentity()
    {
        var signIn = FlexClaims.SignIn(Token("admin") with { RealmUserId = null }, Platform(), null, Expiration);

        Assert.Equal("morgan_2Elee_40lifeline_2Eexample_2Eorg", signIn.Name);
        Assert.Equal([Roles.Admin], signIn.Roles);
    }

    [Fact]
    public void Principal_ConfiguredClaimTypes_GrantReadsRolesPlatformAndTeams()
    {
        var auth = new AuthOptions { RolesClaim = "app_roles", PlatformsClaim = "lifeline_platforms", TeamsClaim = "lifeline_teams" };
        var signIn = new FlexSignIn("morgan.lee@lifeline.example.org", "morgan", "digi", [Roles.TeamLeader, "wfo.quality_manager"], ["Night Team"], Expiration);

        var principal = FlexClaims.Principal(signIn, auth);
        var grant = Grant.Of(principal, auth);

        Assert.Equal((true, FlexTokenDefaults.Scheme, "morgan.lee@lifeline.example.org"), (principal.Identity!.IsAuthenticated, principal.Identity.AuthenticationType, principal.Identity.Name));
        Assert.Equal([Roles.TeamLeader], grant.Roles.Order());
        Assert.Equal(["digi"], grant.Platforms);
        Assert.Equal(["Night Team"], grant.Teams);
        Assert.True(principal.IsInRole(Roles.TeamLeader));
        Assert.False(grant.HasPlatform("ciss"));
    }
}
