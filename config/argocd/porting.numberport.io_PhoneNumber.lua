-- Argo CD health check for porting.numberport.io/PhoneNumber.
--
-- A number waits weeks for its port date, first for the losing carrier to
-- confirm one and then, staged, for the date itself. Waiting is an observed
-- state, not work in progress, so it is Healthy: an Application that showed
-- Progressing for weeks would hold back every later sync wave. Degraded is
-- kept for what a person must fix (the Stalled condition), numbers that will
-- not be ported, and lines the losing carrier dropped.
--
-- Argo CD runs custom health checks without the Lua standard libraries
-- unless useOpenLibs is set, so this script uses only the base functions: no
-- string.format and no string methods.

local metadata = obj.metadata or {}
local spec = obj.spec or {}
local status = obj.status

local function result(health, message)
  return {status = health, message = message}
end

local function condition(condType)
  if status == nil or status.conditions == nil then
    return nil
  end
  for _, c in ipairs(status.conditions) do
    if c.type == condType then
      return c
    end
  end
  return nil
end

local function isTrue(c)
  return c ~= nil and c.status == "True"
end

local function hasText(s)
  return s ~= nil and s ~= ""
end

-- explain reads a condition as "Reason: message", the way kubectl users see
-- it in the Action and Message columns.
local function explain(c)
  if not hasText(c.reason) then
    return c.message or ""
  end
  if not hasText(c.message) then
    return c.reason
  end
  return c.reason .. ": " .. c.message
end

-- With deletionPolicy Release the number is released on the platform before
-- the object goes; a platform that refuses keeps it, and says why.
if metadata.deletionTimestamp ~= nil then
  local stalled = condition("Stalled")
  if isTrue(stalled) and stalled.reason == "ProviderRefused" then
    return result("Degraded", explain(stalled))
  end
  if spec.deletionPolicy == "Release" then
    return result("Progressing", "Being deleted: the number is released on the platform first")
  end
  return result("Progressing", "Being deleted: the number stays on the platform")
end

-- A status written for an older spec says nothing about the current one.
local generation = metadata.generation
if status == nil or (generation ~= nil and (status.observedGeneration or 0) < generation) then
  if generation == nil then
    return result("Progressing", "Waiting for the operator to observe the PhoneNumber")
  end
  return result("Progressing", "Waiting for the operator to observe generation " .. generation)
end

local stalled = condition("Stalled")
if isTrue(stalled) then
  return result("Degraded", explain(stalled))
end

-- The operator reports dropped lines with InService rather than Stalled, but
-- the number is out of service and only a person can get the losing carrier
-- to restore it.
local inService = condition("InService")
if inService ~= nil and inService.status == "False" then
  return result("Degraded", explain(inService))
end

local phase = status.phase
if not hasText(phase) then
  return result("Progressing", "Waiting for the operator to report a phase")
end

local ready = condition("Ready")

-- Pending is Healthy while the number waits for something outside the
-- operator: a port date from the losing carrier, or a call flow from the
-- user. Anything else in Pending is the operator still at work.
if phase == "Pending" then
  if ready ~= nil and (ready.reason == "AwaitingPortRequest" or ready.reason == "NoCallFlow") then
    return result("Healthy", "Pending: " .. (ready.message or ready.reason))
  end
  if ready ~= nil and hasText(ready.message) then
    return result("Progressing", "Pending: " .. ready.message)
  end
  return result("Progressing", "Pending: Waiting for the operator to assess the number")
end

if phase == "Staged" then
  local callFlow = "The call flow"
  if hasText(status.stagedCallFlow) then
    callFlow = "Call flow " .. status.stagedCallFlow
  end
  if hasText(status.portDate) then
    return result("Healthy", "Staged: " .. callFlow .. " goes live at " .. status.portDate)
  end
  return result("Healthy", "Staged: " .. callFlow .. " goes live at the port date")
end

-- Texting follows voice by days, and a late messaging route is the losing
-- carrier's delay to escalate, not a broken number: it stays Healthy and
-- says so.
if phase == "Active" then
  local message = "Active: The number rings on the platform"
  if ready ~= nil and hasText(ready.message) then
    message = "Active: " .. ready.message
  end
  if status.activationTrigger == "EarlyTransfer" then
    message = message ..
      ". Activated early: the number routed to the platform before its port date"
  end
  local messaging = condition("MessagingReady")
  if messaging ~= nil and messaging.reason == "MessagingDelayed" then
    message = message .. ". Texting is delayed: " .. (messaging.message or "")
  end
  return result("Healthy", message)
end

if phase == "Failed" then
  return result("Degraded", "Failed: The number will not be ported; see its PortRequest")
end

return result("Progressing", "Phase " .. phase ..
  " is not known to this health check, which may be older than the operator")
