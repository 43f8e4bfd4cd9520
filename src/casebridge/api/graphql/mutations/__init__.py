"""The root mutation type: one field per command, each with one `input` argument and a
result union of its success and the problems (docs/contract.md, "GraphQL")."""

from __future__ import annotations

import strawberry


from casebridge.api.graphql.mutations import case, case_lifecycle, evidence_request, joint_action, lead

CASES = "Needs cases:write."
EVIDENCE = "Needs evidence:write."
JOINT = "Needs joint-actions:write."


@strawberry.type
class Mutation:
    open_case = strawberry.mutation(resolver=case.open_case, description=f"Open a case handled by your jurisdiction. {CASES}")
    request_transfer = strawberry.mutation(
        resolver=case.request_transfer, description=f"Ask another jurisdiction to take over a case you handle (移送). {CASES}")
    accept_transfer = strawberry.mutation(
        resolver=case.accept_transfer, description=f"Take over a case whose transfer is addressed to you. {CASES}")
    decline_transfer = strawberry.mutation(
        resolver=case.decline_transfer,
        description=f"Dispute a transfer addressed to you: the case becomes DISPUTED before the nearest common superior, "
                    f"which designates the handler; the sender handles it meanwhile. {CASES}")
    withdraw_transfer = strawberry.mutation(
        resolver=case.withdraw_transfer, description=f"Take back a transfer you requested. {CASES}")
    designate_jurisdiction = strawberry.mutation(
        resolver=case.designate_jurisdiction,
        description=f"As a common superior, designate who handles a case (指定管辖). {CASES}")
    add_evidence = strawberry.mutation(resolver=case.add_evidence, description=f"Record evidence on a case you handle. {CASES}")
    close_case = strawberry.mutation(
        resolver=case.close_case, description=f"Close a case you handle, with its outcome and the details it needs. {CASES}")
    take_over_case = strawberry.mutation(
        resolver=case_lifecycle.take_over_case,
        description=f"As a superior of its handler, take a case up (提级管辖). {CASES}")
    assign_case = strawberry.mutation(
        resolver=case_lifecycle.assign_case,
        description=f"Hand a case you handle down to a jurisdiction below yours (交办). {CASES}")
    extend_decision_period = strawberry.mutation(
        resolver=case_lifecycle.extend_decision_period,
        description=f"Extend the decision period: once by up to 30 days with the approver, further with a collective "
                    f"decision. {CASES}")
    pause_case_clock = strawberry.mutation(
        resolver=case_lifecycle.pause_case_clock,
        description=f"Pause the decision period for a hearing, testing/appraisal or public notice. {CASES}")
    resume_case_clock = strawberry.mutation(
        resolver=case_lifecycle.resume_case_clock, description=f"Resume a paused decision period. {CASES}")
    suspend_case = strawberry.mutation(
        resolver=case_lifecycle.suspend_case, description=f"Suspend a case you handle (中止), with the reason. {CASES}")
    resume_case = strawberry.mutation(resolver=case_lifecycle.resume_case, description=f"Resume a suspended case. {CASES}")
    request_evidence = strawberry.mutation(
        resolver=evidence_request.request_evidence, description=f"Ask another jurisdiction for evidence on a case. {EVIDENCE}")
    fulfil_evidence_request = strawberry.mutation(
        resolver=evidence_request.fulfil_evidence_request, description=f"Hand over evidence asked of you. {EVIDENCE}")
    refuse_evidence_request = strawberry.mutation(
        resolver=evidence_request.refuse_evidence_request, description=f"Refuse an evidence request addressed to you. {EVIDENCE}")
    propose_joint_action = strawberry.mutation(
        resolver=joint_action.propose_joint_action, description=f"Propose a joint action and invite jurisdictions. {JOINT}")
    join_joint_action = strawberry.mutation(
        resolver=joint_action.join_joint_action, description=f"Accept an invitation to a joint action. {JOINT}")
    decline_joint_action = strawberry.mutation(
        resolver=joint_action.decline_joint_action, description=f"Decline an invitation to a joint action. {JOINT}")
    assign_joint_task = strawberry.mutation(
        resolver=joint_action.assign_joint_task, description=f"As coordinator, assign a task. {JOINT}")
    complete_joint_task = strawberry.mutation(
        resolver=joint_action.complete_joint_task, description=f"Complete a task assigned to you. {JOINT}")
    close_joint_action = strawberry.mutation(
        resolver=joint_action.close_joint_action, description=f"As coordinator, close a joint action. {JOINT}")

    # -- issue 11 §4, §5: assistance and every command reachable ----------------------------------
    revise_case = strawberry.mutation(
        resolver=case.revise_case, description=f"Change the details of a case you handle. {CASES}")
    reopen_case = strawberry.mutation(
        resolver=case.reopen_case, description=f"Reopen a closed case you handle, with the reason. {CASES}")
    acknowledge_evidence_request = strawberry.mutation(
        resolver=evidence_request.acknowledge_evidence_request,
        description=f"Confirm receipt of an evidence request addressed to you. {EVIDENCE}")
    extend_evidence_request = strawberry.mutation(
        resolver=evidence_request.extend_evidence_request,
        description=f"Move an open request's due time later, before it expires (either party, with a reason). {EVIDENCE}")
    withdraw_evidence_request = strawberry.mutation(
        resolver=evidence_request.withdraw_evidence_request, description=f"Take back an evidence request you made. {EVIDENCE}")
    ask_clarification = strawberry.mutation(
        resolver=evidence_request.ask_clarification,
        description=f"As the requested office, ask the applicant for more information; the clock stops until answered. {EVIDENCE}")
    answer_clarification = strawberry.mutation(
        resolver=evidence_request.answer_clarification,
        description=f"As the applicant, answer a clarification; the due time moves by the paused working days. {EVIDENCE}")

    # -- leads (线索) --
    register_lead = strawberry.mutation(
        resolver=lead.register_lead, description=f"Register a lead your jurisdiction will check (程序规定 Art 18). {CASES}")
    register_leads = strawberry.mutation(
        resolver=lead.register_leads, description=f"Register up to 500 leads at once, all or none. {CASES}")
    extend_lead_check = strawberry.mutation(
        resolver=lead.extend_lead_check, description=f"Extend a lead's check once by 15 working days, approval recorded. {CASES}")
    pause_lead_clock = strawberry.mutation(
        resolver=lead.pause_lead_clock, description=f"Stop a lead's clock for testing, appraisal or expert opinion. {CASES}")
    resume_lead_clock = strawberry.mutation(
        resolver=lead.resume_lead_clock, description=f"Restart a lead's clock; the working days paused are added. {CASES}")
    file_case = strawberry.mutation(
        resolver=lead.file_case, description=f"File a case (立案) from a lead, with your filing number and date. {CASES}")
    decline_to_file = strawberry.mutation(
        resolver=lead.decline_to_file, description=f"Decide not to file a case from a lead (不予立案). {CASES}")
    record_reporter_notified = strawberry.mutation(
        resolver=lead.record_reporter_notified,
        description=f"Record that the named reporter was told the decision (投诉举报办法 Art 31). {CASES}")
    erase_reporter = strawberry.mutation(
        resolver=lead.erase_reporter,
        description=f"Erase a lead's named reporter for good: its key is destroyed (crypto-shredding). {CASES}")
