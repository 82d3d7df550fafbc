using GraphQL;
using GraphQL.Types;
using WgStream.Api.GraphQL;
using WgStream.GrainInterfaces.Common;
using WgStream.GrainInterfaces.Sponsorship;

namespace WgStream.Api.Sponsorship;

/// <summary>Sponsorship plans, Stripe checkouts, sponsors and payment history.</summary>
public sealed class SponsorshipSchema(IClusterClient cluster) : ISchemaContributor
{
    public void AddQueries(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<SponsorshipPlanType>>>>("sponsorshipPlans")
            .Description("A channel's plans, cheapest first. Only its owner may include archived ones.")
            .Argument<NonNullGraphType<IdGraphType>>("channelId")
            .Argument<BooleanGraphType>("includeArchived", arg => arg.DefaultValue = false)
            .ResolveAsync(async ctx =>
            {
                var channelId = Ids.Parse(ctx.GetArgument<string>("channelId"), "channelId");
                var includeArchived = ctx.GetArgument<bool>("includeArchived");
                if (includeArchived && ctx.WgUser().RequirePrincipal().UserId != channelId)
                {
                    throw WgException.Forbidden("Only the channel's owner sees its archived plans.");
                }

                return await Directory.PlansAsync(channelId, includeArchived);
            });

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<SponsorshipType>>>>("mySponsorships")
            .Description("The channels the signed-in user sponsors or sponsored, newest first.")
            .ResolveAsync(async ctx => await Directory.SponsorshipsOfAsync(ctx.WgUser().RequirePrincipal().UserId));

        query.Field<NonNullGraphType<SponsorConnectionType>>("channelSponsors")
            .Description("A channel's current sponsors, newest first.")
            .Argument<NonNullGraphType<IdGraphType>>("channelId")
            .Argument<IntGraphType>("first", arg => arg.DefaultValue = 20)
            .Argument<StringGraphType>("after")
            .ResolveAsync(async ctx => Connection<ChannelSponsorship>.From(await Directory.SponsorsAsync(
                Ids.Parse(ctx.GetArgument<string>("channelId"), "channelId"), ctx.GetArgument<int>("first"), ctx.GetArgument<string?>("after"))));

        query.Field<NonNullGraphType<TransactionConnectionType>>("myTransactions")
            .Description("Payments the signed-in user made, newest first.")
            .Argument<IntGraphType>("first", arg => arg.DefaultValue = 20)
            .Argument<StringGraphType>("after")
            .ResolveAsync(async ctx => Connection<PaymentTransaction>.From(await Directory.PayerTransactionsAsync(
                ctx.WgUser().RequirePrincipal().UserId, ctx.GetArgument<int>("first"), ctx.GetArgument<string?>("after"))));

        query.Field<NonNullGraphType<TransactionConnectionType>>("channelTransactions")
            .Description("Payments to the signed-in user's channel, newest first.")
            .Argument<IntGraphType>("first", arg => arg.DefaultValue = 20)
            .Argument<StringGraphType>("after")
            .ResolveAsync(async ctx => Connection<PaymentTransaction>.From(await Directory.ChannelTransactionsAsync(
                ctx.WgUser().RequirePrincipal().UserId, ctx.GetArgument<int>("first"), ctx.GetArgument<string?>("after"))));
    }

    public void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<SponsorshipPlanType>>("createSponsorshipPlan")
            .Description("A plan for the signed-in user's own channel.")
            .Argument<NonNullGraphType<CreateSponsorshipPlanInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                var me = ctx.WgUser().RequirePrincipal().UserId;
                var input = ctx.GetArgument<SponsorshipPlanInputModel>("input");
                return await Plan(Guid.CreateVersion7()).CreateAsync(
                    me, new SponsorshipPlanInput(input.Title, input.Description ?? string.Empty, input.Price, input.Currency));
            });

        mutation.Field<NonNullGraphType<SponsorshipPlanType>>("updateSponsorshipPlan")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Argument<NonNullGraphType<UpdateSponsorshipPlanInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                var me = ctx.WgUser().RequirePrincipal().UserId;
                var input = ctx.GetArgument<SponsorshipPlanUpdateModel>("input");
                return await Plan(Ids.Parse(ctx.GetArgument<string>("id"), "id")).UpdateAsync(
                    me, new SponsorshipPlanUpdate(input.Title, input.Description, input.Price, input.Currency));
            });

        mutation.Field<NonNullGraphType<SponsorshipPlanType>>("archiveSponsorshipPlan")
            .Description("No new sponsors on this plan; existing ones keep their paid period.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async ctx => await Plan(Ids.Parse(ctx.GetArgument<string>("id"), "id")).ArchiveAsync(ctx.WgUser().RequirePrincipal().UserId));

        mutation.Field<NonNullGraphType<SponsorshipCheckoutType>>("createSponsorshipCheckout")
            .Description("Opens a Stripe Checkout for a monthly sponsorship; send the payer to the returned url.")
            .Argument<NonNullGraphType<IdGraphType>>("planId")
            .ResolveAsync(async ctx => await cluster.GetGrain<ISponsorshipCheckoutGrain>(ctx.WgUser().RequirePrincipal().UserId)
                .CreateAsync(Ids.Parse(ctx.GetArgument<string>("planId"), "planId")));

        mutation.Field<NonNullGraphType<SponsorshipType>>("cancelSponsorship")
            .Description("Turns auto-renew off for the signed-in user's sponsorship of the channel: it stays active until paidUntil, then ends. "
                + "Repeating it is harmless. NOT_FOUND without an active sponsorship; INTERNAL when Stripe cannot be reached.")
            .Argument<NonNullGraphType<IdGraphType>>("channelId")
            .ResolveAsync(async ctx => await cluster.GetGrain<ISponsorshipCheckoutGrain>(ctx.WgUser().RequirePrincipal().UserId)
                .CancelRenewalAsync(Ids.Parse(ctx.GetArgument<string>("channelId"), "channelId")));

        mutation.Field<NonNullGraphType<SponsorshipType>>("resumeSponsorship")
            .Description("Turns auto-renew back on while the sponsorship is still active. NOT_FOUND without an active sponsorship; "
                + "BAD_USER_INPUT when its subscription has already ended or a checkout for the channel is open; INTERNAL when Stripe cannot be reached.")
            .Argument<NonNullGraphType<IdGraphType>>("channelId")
            .ResolveAsync(async ctx => await cluster.GetGrain<ISponsorshipCheckoutGrain>(ctx.WgUser().RequirePrincipal().UserId)
                .ResumeRenewalAsync(Ids.Parse(ctx.GetArgument<string>("channelId"), "channelId")));
    }

    private ISponsorshipDirectoryGrain Directory => cluster.GetGrain<ISponsorshipDirectoryGrain>(0);

    private ISponsorshipPlanGrain Plan(Guid id) => cluster.GetGrain<ISponsorshipPlanGrain>(id);
}
