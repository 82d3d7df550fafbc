import { useCallback, useEffect, useState } from "react";
import { request } from "../../api";
import { Link, useApp } from "../../context";
import { graphql } from "../../gql";
import type { ChannelSponsorPlansQuery, MyChannelSponsorshipQuery } from "../../gql/graphql";
import { formatMoney } from "../../money";

type Plan = ChannelSponsorPlansQuery["sponsorshipPlans"][number];
type MySponsorship = MyChannelSponsorshipQuery["mySponsorships"][number];

const ChannelSponsorPlansQueryDocument = graphql(`
  query ChannelSponsorPlans($c: ID!) {
    sponsorshipPlans(channelId: $c) {
      id
      title
      description
      price
      currency
    }
  }
`);

const MyChannelSponsorshipQuery = graphql(`
  query MyChannelSponsorship {
    mySponsorships {
      channelId
      status
      expiresAt
      autoRenew
      planTitle
    }
  }
`);

const CreateCheckoutMutation = graphql(`
  mutation CreateSponsorshipCheckout($p: ID!) {
    createSponsorshipCheckout(planId: $p) {
      url
    }
  }
`);

/**
 * The channel's active sponsorship plans. "Sponsor" opens a Stripe Checkout (createSponsorshipCheckout)
 * and sends the browser there; Stripe sends it back to this page with ?sponsorship=success or
 * ?sponsorship=cancelled (the Api's Stripe:SuccessUrl/CancelUrl), which is announced in a toast.
 */
export function SponsorPlans({ channelId, displayName }: { channelId: string; displayName: string }) {
  const { t, lang, me, toast, navigate } = useApp();
  const [plans, setPlans] = useState<Plan[] | null>(null);
  const [mine, setMine] = useState<MySponsorship | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const loadMine = useCallback(() => {
    if (!me) {
      setMine(null);
      return;
    }
    request(MyChannelSponsorshipQuery)
      .then((d) => setMine(d.mySponsorships.find((s) => s.channelId === channelId && s.status === "ACTIVE") ?? null))
      .catch(() => setMine(null));
  }, [me, channelId]);

  useEffect(() => {
    request(ChannelSponsorPlansQueryDocument, { c: channelId })
      .then((d) => setPlans(d.sponsorshipPlans))
      .catch((e: Error) => toast("error", e.message));
  }, [channelId, toast]);

  useEffect(loadMine, [loadMine]);

  // Back from Stripe Checkout: say how it went once, and drop the query so a reload does not say it again.
  useEffect(() => {
    const params = new URLSearchParams(location.search);
    const outcome = params.get("sponsorship");
    if (!outcome) return;
    history.replaceState(history.state, "", location.pathname);
    if (outcome === "success") toast("success", t("sponsorThanks", { name: displayName }));
    else if (outcome === "cancelled") toast("error", t("sponsorCancelled"));
  }, [displayName, t, toast]);

  const sponsor = async (plan: Plan) => {
    if (!me) {
      navigate("/login");
      return;
    }
    setBusy(plan.id);
    try {
      const { url } = (await request(CreateCheckoutMutation, { p: plan.id })).createSponsorshipCheckout;
      const target = new URL(url);
      if (target.protocol !== "https:" && target.protocol !== "http:") throw new Error(t("badCheckoutUrl"));
      location.assign(target.href);
    } catch (e) {
      toast("error", (e as Error).message);
      setBusy(null);
    }
  };

  if (plans === null) return null;
  const own = me?.id === channelId;
  if (plans.length === 0 && !mine) {
    return own ? (
      <section className="sponsor-plans" data-testid="sponsor-plans">
        <p className="muted">
          {t("noPlansOwn")} <Link to="/dashboard/plans">{t("managePlans")}</Link>
        </p>
      </section>
    ) : null;
  }

  return (
    <section className="sponsor-plans" data-testid="sponsor-plans">
      <h2>{t("sponsorTitle", { name: displayName })}</h2>
      {mine && (
        <p className="sponsoring" data-testid="sponsoring">
          {t("youSponsor", { plan: mine.planTitle })}{" "}
          <span className="muted">
            {mine.autoRenew
              ? t("renewsOn", { date: new Date(mine.expiresAt).toLocaleDateString(lang) })
              : t("endsOn", { date: new Date(mine.expiresAt).toLocaleDateString(lang) })}
          </span>
        </p>
      )}
      <ul className="sponsor-plan-list">
        {plans.map((p) => (
          <li key={p.id} className="sponsor-plan" data-testid="sponsor-plan" data-title={p.title}>
            <strong>{p.title}</strong>
            <span className="plan-price">{t("perMonth", { price: formatMoney(p.price, p.currency, lang) })}</span>
            {p.description && <span className="muted">{p.description}</span>}
            {own ? (
              <Link to="/dashboard/plans">{t("managePlans")}</Link>
            ) : (
              <button
                type="button"
                data-testid="sponsor-button"
                disabled={busy !== null || (mine?.autoRenew ?? false)}
                onClick={() => sponsor(p)}
              >
                {busy === p.id ? t("redirecting") : me ? t("sponsor") : t("signInToSponsor")}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
