import { useEffect, useState, type FormEvent } from "react";
import { request } from "../../api";
import { useApp } from "../../context";
import { graphql } from "../../gql";
import type { RaidPolicy } from "../../gql/graphql";

const RaidPolicyQuery = graphql(`
  query RaidPolicy {
    raidPolicy
  }
`);

const SetRaidPolicyMutation = graphql(`
  mutation SetRaidPolicy($p: RaidPolicy!) {
    setRaidPolicy(policy: $p)
  }
`);

const RaidMutation = graphql(`
  mutation RaidChannel($u: String!) {
    raidChannel(username: $u) {
      toUsername
      viewers
    }
  }
`);

const policies: { value: RaidPolicy; label: "raidPolicyEveryone" | "raidPolicyFollowed" | "raidPolicyNobody" }[] = [
  { value: "EVERYONE", label: "raidPolicyEveryone" },
  { value: "FOLLOWED_ONLY", label: "raidPolicyFollowed" },
  { value: "NOBODY", label: "raidPolicyNobody" },
];

/** The dashboard's raid panel: send your viewers to another live channel, and say whom you take raids from. */
export function RaidPanel({ live }: { live: boolean }) {
  const { t, toast } = useApp();
  const [policy, setPolicy] = useState<RaidPolicy | null>(null);
  const [target, setTarget] = useState("");
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    request(RaidPolicyQuery)
      .then((d) => setPolicy(d.raidPolicy))
      .catch(() => undefined);
  }, []);

  const changePolicy = async (p: RaidPolicy) => {
    try {
      setPolicy((await request(SetRaidPolicyMutation, { p })).setRaidPolicy);
      toast("success", t("raidPolicySaved"));
    } catch (e) {
      toast("error", (e as Error).message);
    }
  };

  const raid = async (e: FormEvent) => {
    e.preventDefault();
    if (!target.trim()) return;
    setBusy(true);
    try {
      const r = (await request(RaidMutation, { u: target.trim() })).raidChannel;
      toast("success", t("raidSent", { name: r.toUsername, count: String(r.viewers) }));
      setTarget("");
    } catch (err) {
      toast("error", (err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" data-testid="raid-panel">
      <h2>{t("raidTitle")}</h2>
      <p className="muted">{t("raidHint")}</p>
      <form className="row" onSubmit={raid}>
        <input data-testid="raid-target" placeholder={t("raidTarget")} value={target} maxLength={26} onChange={(e) => setTarget(e.target.value)} disabled={!live} />
        <button type="submit" data-testid="raid-go" disabled={!live || busy || !target.trim()}>
          {t("raidGo")}
        </button>
      </form>
      {!live && <p className="muted">{t("raidNeedsLive")}</p>}
      <label>
        {t("raidPolicyLabel")}{" "}
        <select data-testid="raid-policy" value={policy ?? "EVERYONE"} disabled={policy === null} onChange={(e) => void changePolicy(e.target.value as RaidPolicy)}>
          {policies.map((p) => (
            <option key={p.value} value={p.value}>
              {t(p.label)}
            </option>
          ))}
        </select>
      </label>
    </section>
  );
}
